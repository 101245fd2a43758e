namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// A node heartbeating within the node timeout (<c>queue_job_node</c>), in a <see cref="QueueSnapshotData"/>, with its
/// channels configuration (<see cref="ChannelConfigurationText"/>; null when its code does not publish one).
/// </summary>
internal sealed record LiveNode(string Id, string Host, int Pid, DateTime Started, double HeartbeatAgeSeconds, string? Channels);
