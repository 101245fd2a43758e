namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>A channel record as the Channels screens show it: its fields, the addons declaring it (comma-separated) and its own jobs.</summary>
internal sealed record ChannelListRow(long Id, string Name, string CompleteName, long? ParentId, string? Parent, int RemovalInterval, string DeclaredBy,
    ChannelJobCounts Jobs);
