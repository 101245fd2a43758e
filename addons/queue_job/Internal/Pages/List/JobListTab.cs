namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>A state tab of the Jobs list: the state (empty for all), its count under the other filters (null when not read) and its URL.</summary>
internal sealed record JobListTab(string State, string Label, long? Count, string Url, bool Active);
