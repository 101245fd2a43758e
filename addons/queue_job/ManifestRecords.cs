using System.Globalization;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob;

/// <summary>
/// What an addon's manifest declares for queue_job, as data records: each of its <c>channels</c> (and each channel a
/// job function names) with its missing parents, below <c>queue_job.channel_root</c>, then each of its
/// <c>job_functions</c>. External ids are the addon's own, <c>&lt;addon&gt;.manifest.channel.&lt;complete name&gt;</c> and
/// <c>&lt;addon&gt;.manifest.function.&lt;model&gt;.&lt;Method&gt;</c>: a data file's own ids have no dot in their name, so
/// they never collide, and its records may <c>ref</c> these. Channels and functions merge by name with those other
/// addons declare, in either form.
/// </summary>
internal static class ManifestRecords
{
    private const string RootChannel = "queue_job.channel_root";

    /// <summary>The channel and job function records of <paramref name="manifest"/>, parents before children.</summary>
    public static IEnumerable<DataRecord> Of(AddonManifest manifest)
    {
        var channels = manifest.Channels.Concat(manifest.JobFunctions.Select(f => f.Channel).OfType<string>()).Distinct(StringComparer.Ordinal);
        var made = new HashSet<string>(StringComparer.Ordinal) { "root" };
        foreach (var channel in channels)
        {
            var parts = channel.Split('.');
            for (var depth = 2; depth <= parts.Length; depth++)
            {
                var complete = string.Join('.', parts[..depth]);
                if (made.Add(complete))
                {
                    var parent = string.Join('.', parts[..(depth - 1)]);
                    yield return new DataRecord(ChannelId(manifest, complete), "queue.job.channel", NoUpdate: false,
                        [new DataField("name", DataValueKind.Literal, parts[depth - 1]), new DataField("parent_id", DataValueKind.Ref, ParentId(manifest, parent))],
                        $"channel '{complete}' (in channels, a job function's channel, or a parent of one)");
                }
            }
        }

        foreach (var (function, index) in manifest.JobFunctions.Select((f, i) => (f, i)))
        {
            // No channel is root, written as such: an entry that loses its channel moves back to root, and its old
            // channel may leave the manifest in the same update.
            List<DataField> fields =
            [
                new DataField("name", DataValueKind.Literal, function.Name),
                new DataField("channel_id", DataValueKind.Ref, ParentId(manifest, function.Channel ?? "root")),
            ];

            if (function.RetryPattern is { } pattern)
            {
                fields.Add(new DataField("retry_pattern", DataValueKind.Eval, pattern));
            }

            if (function.RelatedAction is { } action)
            {
                fields.Add(new DataField("related_action", DataValueKind.Eval, action));
            }

            if (function.Timeout is { } timeout)
            {
                fields.Add(new DataField("timeout", DataValueKind.Eval, timeout.ToString(CultureInfo.InvariantCulture)));
            }

            yield return new DataRecord($"{manifest.Name}.manifest.function.{function.Model}.{function.Method}", "queue.job.function", NoUpdate: false,
                fields, $"job_functions entry {index + 1} ({function.Name})");
        }
    }

    private static string ChannelId(AddonManifest manifest, string complete) => $"{manifest.Name}.manifest.channel.{complete}";

    private static string ParentId(AddonManifest manifest, string complete) => complete == "root" ? RootChannel : ChannelId(manifest, complete);
}
