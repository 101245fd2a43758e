using Microsoft.Extensions.Logging;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The failures of one activity (a loop, the storing of job outcomes) in a row, logged so that a long outage does not
/// flood the log: the first of the series, then at most one line per <see cref="ReportInterval"/> with the count so
/// far, then the recovery. A lost database connection is a warning naming the error, without a stack trace (the
/// driver's, every time, would say nothing more); anything else is an error whose first report carries its stack trace.
/// Thread-safe; the caller gives the time, so the series does not depend on a clock.
/// </summary>
internal sealed class FailureSeries(ILogger logger, string activity)
{
    /// <summary>The shortest time between two reports of one series.</summary>
    public static readonly TimeSpan ReportInterval = TimeSpan.FromMinutes(1);

    private readonly Lock _lock = new();
    private int _count;
    private DateTime _reported;

    /// <summary>
    /// Counts a failure at <paramref name="now"/> and logs it when it begins the series or when the last report is
    /// <see cref="ReportInterval"/> old; <paramref name="next"/> says what happens now (<c>restarting in 00:00:01</c>).
    /// </summary>
    public void Failed(Exception error, string next, DateTime now)
    {
        int count;
        lock (_lock)
        {
            count = ++_count;
            if (count > 1 && now - _reported < ReportInterval)
            {
                return;
            }

            _reported = now;
        }

        var connectionLost = JobOutcome.IsConnectionLoss(error);
        if (count > 1)
        {
            logger.Log(connectionLost ? LogLevel.Warning : LogLevel.Error, "{Activity} failed {Count} times so far; the last time: {Error}",
                activity, count, Describe(error));
        }
        else if (connectionLost)
        {
            logger.LogWarning("{Activity} failed; {Next} (database connection lost: {Error})", activity, next, Describe(error));
        }
        else
        {
            logger.LogError(error, "{Activity} failed; {Next}", activity, next);
        }
    }

    /// <summary>The activity works: the series, if any, ends, and its recovery is logged with its count.</summary>
    public void Succeeded()
    {
        int count;
        lock (_lock)
        {
            (count, _count) = (_count, 0);
        }

        if (count > 0)
        {
            logger.LogInformation("{Activity} runs again after {Count} failures", activity, count);
        }
    }

    /// <summary>The error's message, and its root cause's when it wraps one (<c>Failed to connect to …: Connection refused</c>).</summary>
    private static string Describe(Exception error) =>
        error.GetBaseException() is var cause && cause != error ? $"{error.Message}: {cause.Message}" : error.Message;
}
