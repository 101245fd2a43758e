using System.Globalization;
using PluginHost.Addons.QueueJob.Internal.Channels;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The dashboard as its template shows it, from a <see cref="QueueSnapshotData"/>: one row per channel that has jobs
/// or is configured in the active runner, with its capacity there and how much of it its running jobs (its own and
/// its sub-channels') use; the runner; the live nodes, flagged when configured otherwise than the runner.
/// </summary>
internal sealed record DashboardModel(string Version, IReadOnlyList<DashboardModel.ChannelRow> Channels, DashboardModel.RunnerView? Runner,
    IReadOnlyList<DashboardModel.NodeRow> Nodes, string Chart, string ReadAt)
{
    /// <summary>A channel: its own jobs; <c>Capacity</c> as the runner has it configured (or the channel it counts against).</summary>
    public sealed record ChannelRow(string Name, long Pending, long Running, long Failed, long DoneLastHour, string Capacity, string Usage, int UsagePercent);

    /// <summary>The active runner; <c>Channels</c> is "unknown" when its node publishes no configuration.</summary>
    public sealed record RunnerView(string Node, string Since, string LeaseAge, bool Stale, string Channels);

    /// <summary>A live node; <c>Comparison</c> says how its configuration compares with the runner's, <c>Flagged</c> when they differ.</summary>
    public sealed record NodeRow(string Id, string Host, int Pid, string HeartbeatAge, string Channels, string Comparison, bool IsRunner)
    {
        public const string Differs = "differs from the runner's";

        public bool Flagged => Comparison == Differs;
    }

    public static DashboardModel From(QueueSnapshotData snapshot)
    {
        var configured = RunnerChannels(snapshot.Runner?.Channels);
        var runner = snapshot.Runner is { } r
            ? new RunnerView(r.Node, Date(r.Since), Age(r.LeaseAgeSeconds), r.Stale, r.Channels ?? "unknown")
            : null;
        var expected = snapshot.Runner?.Channels;
        var nodes = snapshot.Nodes.Select(n => new NodeRow(n.Id, n.Host, n.Pid, Age(n.HeartbeatAgeSeconds), n.Channels ?? "unknown",
            n.Channels is null || expected is null ? "unknown" : n.Channels == expected ? "same as the runner's" : NodeRow.Differs, IsRunner: n.Id == snapshot.Runner?.Node)).ToList();
        return new DashboardModel(snapshot.Version, ChannelRows(snapshot.Channels, configured), runner, nodes, DashboardChart.Svg(snapshot.Minutes), Date(snapshot.ReadAt));
    }

    /// <summary>The runner's channels, or null when unknown (no runner, no configuration published, or one this code cannot read).</summary>
    private static IReadOnlyList<ChannelSpec>? RunnerChannels(string? text)
    {
        try
        {
            return text is null ? null : ChannelConfiguration.Parse(text);
        }
        catch (ArgumentException)
        {
            // A runner of other code may write what this node does not parse: its capacities are shown as unknown.
            return null;
        }
    }

    private static List<ChannelRow> ChannelRows(IReadOnlyList<ChannelJobCounts> counts, IReadOnlyList<ChannelSpec>? configured)
    {
        var manager = configured is null ? null : new ChannelManager(configured);
        var names = counts.Select(c => c.Channel).Concat(configured?.Select(c => c.Name) ?? []).Distinct(StringComparer.Ordinal)
            .OrderBy(n => n == "root" ? 0 : 1).ThenBy(n => n, StringComparer.Ordinal);
        var byName = counts.ToDictionary(c => c.Channel, StringComparer.Ordinal);
        return names.Select(name =>
        {
            var own = byName.GetValueOrDefault(name) ?? new ChannelJobCounts(name, 0, 0, 0, 0, 0);
            var (capacity, usage, percent) = Capacity(name, counts, configured, manager);
            return new ChannelRow(name, own.Pending, own.Running, own.Failed, own.DoneLastHour, capacity, usage, percent);
        }).ToList();
    }

    /// <summary>A configured channel's capacity and the jobs running against it (in it and in the channels that count against it or its sub-channels).</summary>
    private static (string Capacity, string Usage, int Percent) Capacity(string name, IReadOnlyList<ChannelJobCounts> counts, IReadOnlyList<ChannelSpec>? configured,
        ChannelManager? manager)
    {
        if (manager is null)
        {
            return ("unknown", "", 0);
        }

        if (configured!.FirstOrDefault(c => c.Name == name) is not { } spec)
        {
            return ($"counts against {manager.Resolve(name)}", "", 0);
        }

        var running = counts.Where(c => manager.Resolve(c.Channel) is var into && (into == name || into.StartsWith(name + ".", StringComparison.Ordinal))).Sum(c => c.Running);
        return spec.Unlimited
            ? ("unlimited", $"{running} running", 0)
            : (spec.Capacity!.Value.ToString(CultureInfo.InvariantCulture), $"{running} / {spec.Capacity}", (int)Math.Min(100, running * 100 / spec.Capacity.Value));
    }

    private static string Date(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>An age as people read it: <c>4 s</c>, <c>2 min 5 s</c>, <c>3 h 10 min</c>.</summary>
    public static string Age(double seconds)
    {
        var span = TimeSpan.FromSeconds(Math.Max(0, Math.Round(seconds)));
        return span.TotalMinutes < 1 ? $"{span.Seconds} s"
            : span.TotalHours < 1 ? $"{span.Minutes} min {span.Seconds} s"
            : $"{(int)span.TotalHours} h {span.Minutes} min";
    }
}
