using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// A per-database loop that survives anything: <see cref="RunAsync"/> is run again after it returns (after
/// <see cref="RunAgainAfter"/>) or throws (after a backoff from 1 s doubling to 30 s). A failure is logged with its
/// stack trace the first time, then once a minute with a count while it repeats; a lost database connection is a
/// warning, anything else an error. A run that returns, or that says it is <see cref="Healthy"/> (a loop that runs
/// for as long as all is well), ends the series: the recovery is logged and the next failure is logged in full.
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

    private int _failures;
    private TimeSpan _backoff = FirstBackoff;

    /// <summary>Says the run is well under way (connected, leading, listening): failures so far are over.</summary>
    protected void Healthy()
    {
        if (_failures > 0)
        {
            logger.LogInformation("{Loop} runs again after {Count} failures", Name, _failures);
        }

        (_failures, _backoff) = (0, FirstBackoff);
    }

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reported = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            TimeSpan delay;
            try
            {
                await RunAsync(stoppingToken);
                Healthy();
                delay = RunAgainAfter;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _failures++;
                var level = JobOutcome.IsConnectionLoss(e) ? LogLevel.Warning : LogLevel.Error;
                if (_failures == 1)
                {
                    logger.Log(level, e, "{Loop} failed; restarting in {Delay}", Name, _backoff);
                    reported = DateTime.UtcNow;
                }
                else if (DateTime.UtcNow - reported >= ReportInterval)
                {
                    logger.Log(level, "{Loop} failed {Count} times so far; the last time: {Error}", Name, _failures, e.Message);
                    reported = DateTime.UtcNow;
                }

                (delay, _backoff) = (_backoff, _backoff * 2 < LastBackoff ? _backoff * 2 : LastBackoff);
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
