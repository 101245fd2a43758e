namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>The jobs done and the jobs failed (still failed) during one minute (UTC, its start), in a <see cref="QueueSnapshotData"/>.</summary>
internal sealed record QueueSnapshotMinute(DateTime Minute, long Done, long Failed);
