using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// This node's executors: <c>--workers</c> loops that claim enqueued jobs when signalled and run them one at a time.
/// On stop they claim nothing more; a job already running finishes within the host's shutdown timeout. After the
/// database connection was lost, they write the outcomes it could not take before claiming again.
/// </summary>
internal sealed class JobExecutor(HostSettings settings, ExecutorSignal signal, JobPerformer performer, ILogger<JobExecutor> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, settings.Workers).Select(_ => Task.Run(() => WorkAsync(stoppingToken), stoppingToken)));

    private async Task WorkAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await signal.WaitAsync(stoppingToken);
            try
            {
                // Outcomes left over from a lost connection are written first; while they cannot be, nothing is claimed.
                while (await performer.SettleAsync() && await performer.RunNextAsync(stoppingToken))
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
}
