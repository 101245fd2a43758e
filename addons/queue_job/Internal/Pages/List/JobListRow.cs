namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>One line of the Job Queue list.</summary>
internal sealed record JobListRow(
    long Id, string Uuid, string? Name, string? FuncString, string State, string Channel, int Priority, int Retry, int MaxRetries,
    DateTime DateCreated, DateTime? DateEnqueued, DateTime? DateStarted, DateTime? DateDone, double? ExecTime, string? ExcMessage, string? Result);
