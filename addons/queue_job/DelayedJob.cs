namespace PluginHost.Addons.QueueJob;

/// <summary>A job just stored by <see cref="DelayedCall{T}"/>: its row id, uuid and first state.</summary>
/// <param name="Id">The <c>queue_job.id</c>.</param>
/// <param name="Uuid">The job's uuid, shown in logs and pages.</param>
/// <param name="State">Its state right after enqueueing (<c>pending</c>).</param>
public sealed record DelayedJob(long Id, string Uuid, string State);
