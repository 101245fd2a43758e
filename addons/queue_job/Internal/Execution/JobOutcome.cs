using System.Text;
using Npgsql;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>What becomes of a job whose method raised: postponed, failed, or done with nothing to do.</summary>
internal abstract record JobOutcome
{
    /// <summary>
    /// PostgreSQL errors a later try may not meet: serialization failure, deadlock, lock not available; the
    /// connection lost (the server restarted) is another.
    /// </summary>
    private static readonly HashSet<string> TransientSqlStates =
        [PostgresErrorCodes.SerializationFailure, PostgresErrorCodes.DeadlockDetected, PostgresErrorCodes.LockNotAvailable];

    /// <summary>Seconds before another try after a transient database error, as upstream's <c>PG_RETRY</c>.</summary>
    public const int TransientRetrySeconds = 5;

    /// <summary>Marked done without running further; the job's own work was rolled back.</summary>
    public sealed record Done(string Result) : JobOutcome;

    /// <summary>Back to pending after <paramref name="Seconds"/>; <paramref name="CountsAsTry"/> false gives the try back.</summary>
    public sealed record Postponed(int Seconds, string Reason, bool CountsAsTry) : JobOutcome;

    /// <summary>Failed, with what is stored in exc_name, exc_message and exc_info.</summary>
    public sealed record Failed(string ExceptionName, string Message, string Details) : JobOutcome;

    /// <summary>The server went away: a connection exception (class 08) or an operator or crash shutdown (57P01–57P03).</summary>
    public static bool IsConnectionLoss(PostgresException error) =>
        error.SqlState.StartsWith("08", StringComparison.Ordinal) || error.SqlState is "57P01" or "57P02" or "57P03";

    /// <summary>The database could not be reached (as opposed to refusing a statement): a later try may succeed.</summary>
    public static bool IsConnectionLoss(Exception error) => error switch
    {
        PostgresException postgres => IsConnectionLoss(postgres),
        NpgsqlException or TimeoutException => true,
        _ => false,
    };

    /// <summary>
    /// Decides from the error and the tries so far (<paramref name="retry"/> counts this one). Transient database
    /// errors are retried like <see cref="RetryableJobError"/>, and unlike upstream they respect <c>max_retries</c>.
    /// </summary>
    public static JobOutcome ForError(Exception error, int retry, int maxRetries, RetryPattern pattern, Random random)
    {
        var retryable = error switch
        {
            RetryableJobError r => r,
            PostgresException p when TransientSqlStates.Contains(p.SqlState) || IsConnectionLoss(p) => new RetryableJobError(p.MessageText, TransientRetrySeconds, innerException: p),
            NpgsqlException n when n is not PostgresException => new RetryableJobError($"lost the database connection: {n.Message}", TransientRetrySeconds, innerException: n),
            _ => null,
        };

        if (error is NothingToDoJob nothing)
        {
            return new Done(Storable(nothing.Message));
        }

        if (retryable is null)
        {
            return Fail(error);
        }

        var seconds = retryable.Seconds is > 0 ? retryable.Seconds.Value : pattern.SecondsAfter(retry, random);
        if (retryable.IgnoreRetry)
        {
            return new Postponed(seconds, Storable(retryable.Message), CountsAsTry: false);
        }

        return maxRetries > 0 && retry >= maxRetries
            ? Fail(new FailedJobError($"Max. retries ({maxRetries}) reached: {retryable.Message}", error))
            : new Postponed(seconds, Storable(retryable.Message), CountsAsTry: true);
    }

    /// <summary>A failure with the error's type, message and full text, made <see cref="Storable"/>.</summary>
    public static Failed Fail(Exception error) =>
        new(error.GetType().FullName ?? error.GetType().Name, Storable(error.Message), Storable(error.ToString()));

    /// <summary>Text PostgreSQL accepts: lone surrogates and NUL characters (which it cannot store) become U+FFFD.</summary>
    public static string Storable(string text) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text)).Replace('\0', '\uFFFD');
}
