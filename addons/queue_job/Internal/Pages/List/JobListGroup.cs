namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>One group of the Jobs list grouped by state, channel or function: its key (null: no function), its jobs and the list of them.</summary>
internal sealed record JobListGroup(string? Key, long Count, string Url);
