namespace PluginHost.Addons.QueueJob.Internal.Channels;

/// <summary>A pending job as the channel logic sees it; ordered by priority, then creation date, then id.</summary>
internal sealed record ChannelJob(long Id, string Channel, int Priority, DateTime DateCreated, DateTime? Eta)
{
    /// <summary>Upstream's order for ready jobs: a job past its eta competes like any other.</summary>
    public static readonly IComparer<ChannelJob> Order = Comparer<ChannelJob>.Create((a, b) =>
        a.Priority != b.Priority ? a.Priority.CompareTo(b.Priority)
        : a.DateCreated != b.DateCreated ? a.DateCreated.CompareTo(b.DateCreated)
        : a.Id.CompareTo(b.Id));
}
