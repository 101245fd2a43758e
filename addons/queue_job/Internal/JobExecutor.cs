using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The executors of one database on this node: <c>--workers</c> loops that claim enqueued jobs when signalled,
/// each job holding one of the node's <see cref="WorkerSlots"/>. On stop they claim nothing more; a job already
/// running finishes within the host's shutdown timeout. After the database connection was lost, they write the
/// outcomes it could not take before claiming again.
/// </summary>
internal sealed class JobExecutor(HostSettings settings, ExecutorSignal signal, JobPerformer performer, WorkerSlots slots, ILogger<JobExecutor> logger)
    : BackgroundService
{
    private static readonly TimeSpan RecoveryRetry = TimeSpan.FromSeconds(5);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, settings.Workers).Select(_ => Task.Run(() => WorkAsync(stoppingToken), stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // While outcomes or a lost claim wait for the database, try again on a timer too, not only on new work.
            await signal.WaitAsync(performer.NeedsRecovery ? RecoveryRetry : Timeout.InfiniteTimeSpan, stoppingToken);
            try
            {
                while (await RunOneAsync(stoppingToken))
                {
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // An executor outlives any one job's trouble; the job itself stays visible in its state.
                logger.LogError(e, "executor could not claim or store a job; waiting for the next signal");
            }
        }
    }

    /// <summary>Runs one job in a slot of the node; false when there was none, or outcomes still wait for the database.</summary>
    private async Task<bool> RunOneAsync(CancellationToken stoppingToken)
    {
        using var slot = await slots.TakeAsync(stoppingToken);
        return await performer.RecoverAsync() && await performer.RunNextAsync(stoppingToken);
    }
}
