using Microsoft.Extensions.Configuration;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// How quickly a stopped node is noticed: <c>[queue_job] node_timeout</c> seconds of heartbeat silence (default 30,
/// at least 3). Nodes heartbeat six times per timeout; the runner looks for dead nodes three times per timeout, at
/// most every 10 s.
/// </summary>
internal sealed record NodeOptions(TimeSpan DeadAfter)
{
    public const int DefaultTimeoutSeconds = 30;

    public TimeSpan HeartbeatInterval => DeadAfter / 6;

    public TimeSpan RescueInterval => DeadAfter / 3 < TimeSpan.FromSeconds(10) ? DeadAfter / 3 : TimeSpan.FromSeconds(10);

    public static NodeOptions From(IConfigurationSection section)
    {
        var text = section["node_timeout"];
        if (text is null)
        {
            return new NodeOptions(TimeSpan.FromSeconds(DefaultTimeoutSeconds));
        }

        return int.TryParse(text, out var seconds) && seconds >= 3
            ? new NodeOptions(TimeSpan.FromSeconds(seconds))
            : throw new ArgumentException($"[queue_job] node_timeout: expected whole seconds, 3 or more, got '{text}'.");
    }
}
