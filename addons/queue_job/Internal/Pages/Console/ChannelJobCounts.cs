namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>The jobs of one channel (its own, not its sub-channels') by state, in a <see cref="QueueSnapshotData"/>; done is over the last hour.</summary>
internal sealed record ChannelJobCounts(string Channel, long Pending, long Enqueued, long Started, long Failed, long DoneLastHour)
{
    /// <summary>Enqueued and started: the jobs that take capacity.</summary>
    public long Running => Enqueued + Started;
}
