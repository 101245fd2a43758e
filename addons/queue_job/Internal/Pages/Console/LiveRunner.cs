namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The active runner as its lease names it (<c>queue_job_runner_lease</c>), in a <see cref="QueueSnapshotData"/>: its
/// node, since when it leads, the age of its lease (stale past the node timeout: the runner stopped renewing it, and a
/// standby takes over) and its channels configuration, its node's (null when that node does not publish one).
/// </summary>
internal sealed record LiveRunner(string Node, DateTime Since, double LeaseAgeSeconds, bool Stale, string? Channels);
