using System.Globalization;
using PluginHost.Addons.QueueJob.Internal.Channels;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// A node's channels configuration as one canonical string (<c>root:4,root.mail:1:sequential</c>), which
/// <see cref="ChannelConfiguration.Parse"/> reads back: written in the node's heartbeat row, so the dashboard compares
/// each node's configuration with the active runner's by plain equality, whatever spacing or order the files used.
/// </summary>
internal static class ChannelConfigurationText
{
    /// <summary>The canonical string of <paramref name="channels"/>: root first, then by name; 0 for unlimited.</summary>
    public static string Of(IEnumerable<ChannelSpec> channels) =>
        string.Join(",", channels.OrderBy(c => c.Name == "root" ? 0 : 1).ThenBy(c => c.Name, StringComparer.Ordinal).Select(Entry));

    private static string Entry(ChannelSpec channel)
    {
        var entry = $"{channel.Name}:{(channel.Capacity ?? 0).ToString(CultureInfo.InvariantCulture)}";
        if (channel.Sequential)
        {
            entry += ":sequential";
        }

        if (channel.ThrottleSeconds > 0)
        {
            entry += $":throttle={channel.ThrottleSeconds.ToString(CultureInfo.InvariantCulture)}";
        }

        return channel.Batch > 1 ? entry + $":batch={channel.Batch.ToString(CultureInfo.InvariantCulture)}" : entry;
    }
}
