using Microsoft.Extensions.Configuration;
using PluginHost.Addons.QueueJob.Internal.Channels;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The runner's configuration from <c>[queue_job]</c> (or <c>ODOO_QUEUE_JOB_CHANNELS</c>): the channels, parsed at
/// start-up so a bad entry stops the host with the entry named, and the warnings to log. Only a string starting with
/// <c>root:0</c> disables the runner (the rest is still checked); anywhere else a capacity of 0 is unlimited.
/// </summary>
internal sealed record RunnerOptions(IReadOnlyList<ChannelSpec> Channels, bool Enabled, IReadOnlyList<string> Warnings)
{
    /// <summary>
    /// With an unlimited root, how many due jobs per channel the runner reads in a round, and how many jobs it keeps
    /// enqueued for the executors to claim (it enqueues no more while that many wait).
    /// </summary>
    public const int UnlimitedRootBound = 100;

    private ChannelSpec Root => Channels.Single(c => c.Name == "root");

    /// <summary>How many due jobs per channel the runner reads in a round: root's capacity, or <see cref="UnlimitedRootBound"/>.</summary>
    public int PerChannelRead => Root.Unlimited ? UnlimitedRootBound : Root.Capacity!.Value;

    /// <summary>
    /// How many jobs a round may enqueue while <paramref name="waiting"/> enqueued jobs are not claimed yet: no bound
    /// but the capacities when root has one, else what keeps <see cref="UnlimitedRootBound"/> waiting.
    /// </summary>
    public int? EnqueueBudget(int waiting) => Root.Unlimited ? Math.Max(0, UnlimitedRootBound - waiting) : null;

    /// <summary>Reads and checks <c>channels</c>.</summary>
    public static RunnerOptions From(IConfigurationSection section)
    {
        var text = section["channels"];
        var warnings = new List<string>();
        var channels = ChannelConfiguration.Parse(text, warnings);
        return ChannelConfiguration.DisablesRunner(text)
            ? new RunnerOptions([new ChannelSpec("root", 0)], Enabled: false, warnings)
            : new RunnerOptions(channels, Enabled: true, warnings);
    }
}
