using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The version of a <see cref="QueueSnapshotData"/>: a digest of what the console shows, without the ages (heartbeat,
/// lease) that change every second, nor the minutes' times (a series of zeros shifting by a minute is the same chart).
/// </summary>
internal static class QueueSnapshotVersion
{
    public static string Of(IReadOnlyList<ChannelJobCounts> channels, IReadOnlyList<QueueSnapshotMinute> minutes, IReadOnlyList<LiveNode> nodes, LiveRunner? runner)
    {
        var text = new StringBuilder();
        foreach (var c in channels)
        {
            text.Append(CultureInfo.InvariantCulture, $"c|{c.Channel}|{c.Pending}|{c.Enqueued}|{c.Started}|{c.Failed}|{c.DoneLastHour}\n");
        }

        foreach (var m in minutes)
        {
            text.Append(CultureInfo.InvariantCulture, $"m|{m.Done}|{m.Failed}\n");
        }

        foreach (var n in nodes)
        {
            text.Append(CultureInfo.InvariantCulture, $"n|{n.Id}|{n.Host}|{n.Pid}|{n.Channels}\n");
        }

        if (runner is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"r|{runner.Node}|{runner.Since:O}|{runner.Stale}|{runner.Channels}\n");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()))[..8]);
    }
}
