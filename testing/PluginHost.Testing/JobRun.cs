using PluginHost.Addons.QueueJob;

namespace PluginHost.Testing;

/// <summary>
/// A stored job as read back after a run (<see cref="AddonTestHost.RunJobAsync(string, CancellationToken)"/>): its
/// <c>queue_job</c> columns. Its <see cref="ToString"/> names the job, its state, exception and result, for messages.
/// </summary>
/// <param name="Uuid">The job's uuid.</param>
/// <param name="FuncString">What it calls, as Odoo shows it: <c>shop.order(1,).ConfirmAsync('note')</c>.</param>
/// <param name="State">One of <see cref="JobState"/>: <c>done</c>, <c>failed</c>, <c>pending</c> (postponed), …</param>
/// <param name="Result">The stored result (the method's return value as text), if any.</param>
/// <param name="ExcName">The full name of the exception of the last failed try, if any.</param>
/// <param name="ExcMessage">Its message.</param>
/// <param name="ExcInfo">Its full text, with the stack trace.</param>
/// <param name="Retry">Tries so far, this one included.</param>
/// <param name="MaxRetries">Tries allowed before a retryable error fails the job; 0 for no limit.</param>
/// <param name="Eta">When a postponed job may run again; null when it may run at once.</param>
public sealed record JobRun(string Uuid, string FuncString, string State, string? Result, string? ExcName, string? ExcMessage, string? ExcInfo,
    int Retry, int MaxRetries, DateTimeOffset? Eta)
{
    /// <summary>True when the job will not run again by itself: done, failed or cancelled.</summary>
    public bool IsEnded => State is JobState.Done or JobState.Failed or JobState.Cancelled;

    /// <summary>
    /// The job in one line: <c>job 3f2a… shop.order(1,).ConfirmAsync('note') is failed after try 1 of 5, exception
    /// System.InvalidOperationException: no stock, result none</c>.
    /// </summary>
    public override string ToString()
    {
        var tries = MaxRetries > 0 ? $"try {Retry} of {MaxRetries}" : $"try {Retry} (no limit)";
        var eta = Eta is { } at ? $", eta {at:O}" : "";
        var exception = ExcName is null ? "none" : $"{ExcName}: {ExcMessage}";
        return $"job {Uuid} {FuncString} is {State} after {tries}{eta}, exception {exception}, result {Result ?? "none"}";
    }
}
