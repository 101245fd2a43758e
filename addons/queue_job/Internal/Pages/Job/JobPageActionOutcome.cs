namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>The result of a job page action: the job's state after it, or why it was refused.</summary>
/// <param name="State">The job's state (after the action when it succeeded); null for an unknown job.</param>
/// <param name="Error">Why nothing was done; null on success.</param>
/// <param name="NotFound">The job does not exist.</param>
internal sealed record JobPageActionOutcome(string? State, string? Error, bool NotFound = false);
