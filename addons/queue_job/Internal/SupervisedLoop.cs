using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// A per-database loop that survives anything: <see cref="RunAsync"/> is run again after it returns (after
/// <see cref="RunAgainAfter"/>) or throws (after a backoff from 1 s doubling to 30 s). A failure is logged with its
/// stack trace the first time, then once a minute with a count while it repeats; a lost database connection is a
/// warning, anything else an error.
/// </summary>
internal abstract class SupervisedLoop(ILogger logger) : BackgroundService
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastBackoff = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ReportInterval = TimeSpan.FromMinutes(1);

    /// <summary>What the loop does, for the log (<c>job runner</c>, <c>node heartbeat</c>…).</summary>
    protected abstract string Name { get; }

    /// <summary>How long to wait before running <see cref="RunAsync"/> again after it returned.</summary>
    protected virtual TimeSpan RunAgainAfter => TimeSpan.FromSeconds(5);

    /// <summary>One run of the loop, until it returns or throws; it is run again either way until the host stops.</summary>
    protected abstract Task RunAsync(CancellationToken stoppingToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var (failures, reported, backoff) = (0, DateTime.MinValue, FirstBackoff);
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan delay;
            try
            {
                await RunAsync(stoppingToken);
                if (failures > 0)
                {
                    logger.LogInformation("{Loop} runs again after {Count} failures", Name, failures);
                }

                (failures, backoff, delay) = (0, FirstBackoff, RunAgainAfter);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                failures++;
                var level = JobOutcome.IsConnectionLoss(e) ? LogLevel.Warning : LogLevel.Error;
                if (failures == 1)
                {
                    logger.Log(level, e, "{Loop} failed; restarting in {Delay}", Name, backoff);
                    reported = DateTime.UtcNow;
                }
                else if (DateTime.UtcNow - reported >= ReportInterval)
                {
                    logger.Log(level, "{Loop} failed {Count} times so far; the last time: {Error}", Name, failures, e.Message);
                    reported = DateTime.UtcNow;
                }

                (delay, backoff) = (backoff, backoff * 2 < LastBackoff ? backoff * 2 : LastBackoff);
            }

            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
