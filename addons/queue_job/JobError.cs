namespace PluginHost.Addons.QueueJob;

/// <summary>Base of the errors a job raises to tell the queue what to do with it.</summary>
public class JobError(string message, Exception? innerException = null) : Exception(message, innerException);

/// <summary>
/// Try the job again later: after <see cref="Seconds"/>, or the job function's retry pattern, or 600 s.
/// The try counts toward <c>max_retries</c> unless <see cref="IgnoreRetry"/>.
/// </summary>
/// <example>
/// <code>
/// if (!remote.IsReachable) throw new RetryableJobError("remote is down", seconds: 30);
/// </code>
/// </example>
public sealed class RetryableJobError(string message, int? seconds = null, bool ignoreRetry = false, Exception? innerException = null)
    : JobError(message, innerException)
{
    /// <summary>Delay before the next try; null for the retry pattern or the default.</summary>
    public int? Seconds { get; } = seconds;

    /// <summary>True: this try does not count toward <c>max_retries</c>.</summary>
    public bool IgnoreRetry { get; } = ignoreRetry;
}

/// <summary>Fail the job now, without retrying: it needs a person to look at it.</summary>
public sealed class FailedJobError(string message, Exception? innerException = null) : JobError(message, innerException);

/// <summary>Nothing is left to do: the job's work is rolled back and the job is marked done with this message.</summary>
public sealed class NothingToDoJob(string? message = null)
    : JobError(message ?? "Job interrupted and set to Done: nothing to do.");

/// <summary>
/// The job ran past its job function's <c>timeout</c>: its work is rolled back and it fails, as for any other error.
/// Raised by the queue, not by job code.
/// </summary>
public sealed class JobTimeoutError(string message) : JobError(message);
