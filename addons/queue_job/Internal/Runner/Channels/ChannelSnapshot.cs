namespace PluginHost.Addons.QueueJob.Internal.Channels;

/// <summary>What the runner read from the database for one decision: running and failed jobs per job channel, and candidates.</summary>
/// <param name="Running">Enqueued and started jobs, by the channel written on the job.</param>
/// <param name="Failed">Job channels holding failed jobs (they block sequential channels).</param>
/// <param name="Pending">Pending jobs worth considering: the first few of each channel, due or not.</param>
internal sealed record ChannelSnapshot(IReadOnlyDictionary<string, int> Running, IReadOnlySet<string> Failed, IReadOnlyList<ChannelJob> Pending);
