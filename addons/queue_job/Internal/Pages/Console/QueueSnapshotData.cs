namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// What the Job Queue console shows of one database, as read at <see cref="ReadAt"/> (the database's clock): the jobs
/// per channel, done and failed per minute over the last hour (oldest first, 60 minutes, the current one last), the
/// live nodes and the active runner (null when no lease was ever taken). <see cref="Version"/> changes when any of
/// them does, and only then: ages are left out of it.
/// </summary>
internal sealed record QueueSnapshotData(DateTime ReadAt, IReadOnlyList<ChannelJobCounts> Channels, IReadOnlyList<QueueSnapshotMinute> Minutes,
    IReadOnlyList<LiveNode> Nodes, LiveRunner? Runner)
{
    /// <summary>A short digest of the counts, the series, the nodes and the runner; the same contents give the same version on every node.</summary>
    public string Version { get; } = QueueSnapshotVersion.Of(Channels, Minutes, Nodes, Runner);
}
