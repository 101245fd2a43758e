using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// A per-database loop that survives anything: <see cref="RunAsync"/> is run again after it returns (after
/// <see cref="RunAgainAfter"/>) or throws (after a backoff from 1 s doubling to 30 s, or <see cref="LongestBackoff"/>). Its failures in a row are a
/// <see cref="FailureSeries"/>: the first logged (a lost database connection as a warning without a stack trace,
/// anything else as an error with it), then once a minute with a count while they repeat. A run that returns, or that
/// says it is <see cref="Healthy"/> (a loop that runs for as long as all is well), ends the series: the recovery is
/// logged and the next failure is logged in full.
/// </summary>
internal abstract class SupervisedLoop(ILogger logger) : BackgroundService
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastBackoff = TimeSpan.FromSeconds(30);

    private FailureSeries? _failures;
    private TimeSpan _backoff = FirstBackoff;

    /// <summary>What the loop does, for the log (<c>job runner</c>, <c>node heartbeat</c>…).</summary>
    protected abstract string Name { get; }

    /// <summary>The longest wait between two failed runs (the backoff doubles from 1 s up to it).</summary>
    protected virtual TimeSpan LongestBackoff => LastBackoff;

    /// <summary>How long to wait before running <see cref="RunAsync"/> again after it returned.</summary>
    protected virtual TimeSpan RunAgainAfter => TimeSpan.FromSeconds(5);

    /// <summary>One run of the loop, until it returns or throws; it is run again either way until the host stops.</summary>
    protected abstract Task RunAsync(CancellationToken stoppingToken);

    /// <summary>This loop's failures in a row; made on first use, as <see cref="Name"/> is the subclass's.</summary>
    private FailureSeries Failures => _failures ??= new FailureSeries(logger, Name);

    /// <summary>Says the run is well under way (connected, leading, listening): failures so far are over.</summary>
    protected void Healthy()
    {
        Failures.Succeeded();
        _backoff = FirstBackoff;
    }

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
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
                delay = _backoff < LongestBackoff ? _backoff : LongestBackoff;
                Failures.Failed(e, $"restarting in {delay}", DateTime.UtcNow);
                _backoff = _backoff * 2 < LastBackoff ? _backoff * 2 : LastBackoff;
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
