using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The executors of one database on this node. When signalled, one claim takes as many enqueued jobs as this node
/// has free <see cref="WorkerSlots"/> (and no more than were enqueued); each job then runs in its slot, and each
/// job's transaction claims the slot's next job, so a busy slot goes on without another claim or wake-up. On stop
/// they claim nothing more; jobs already running finish within the host's shutdown timeout. After the database
/// connection was lost, they write the outcomes it could not take before claiming again.
/// </summary>
internal sealed class JobExecutor(ExecutorSignal signal, JobPerformer performer, WorkerSlots slots, ILogger<JobExecutor> logger)
    : SupervisedLoop(logger)
{
    private static readonly TimeSpan RecoveryRetry = TimeSpan.FromSeconds(5);

    /// <summary>How long giving back the jobs still running at the shutdown timeout may take.</summary>
    private static readonly TimeSpan AbandonTimeout = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<Task, byte> _running = new();

    protected override string Name => "executors";

    /// <summary>Waits for signals and claims, until the host stops; an unexpected error ends it, to be restarted.</summary>
    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // While outcomes or a lost claim wait for the database, try again on a timer too, not only on new work.
            await signal.WaitAsync(performer.NeedsRecovery ? RecoveryRetry : Timeout.InfiniteTimeSpan, stoppingToken);
            await DispatchAsync(stoppingToken);
        }
    }

    /// <summary>
    /// Claims nothing more, and lets the running jobs finish within the host's shutdown timeout; those still running
    /// then are given back at once (<see cref="JobPerformer.AbandonRunningAsync"/>).
    /// </summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await Task.WhenAll(_running.Keys).WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            using var release = new CancellationTokenSource(AbandonTimeout);
            try
            {
                await performer.AbandonRunningAsync(release.Token);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                logger.LogWarning(e, "could not give back the jobs still running at the shutdown timeout; the runner rescues them after the node timeout");
            }
        }
    }

    /// <summary>Claims enqueued jobs into free slots until none is left that this node was told of.</summary>
    private async Task DispatchAsync(CancellationToken stoppingToken)
    {
        while (signal.Enqueued > 0 && !stoppingToken.IsCancellationRequested)
        {
            if (!await performer.RecoverAsync())
            {
                return;
            }

            var known = signal.Enqueued;
            var free = slots.TryTake(known);
            if (free == 0)
            {
                await slots.WaitAsync(stoppingToken);
                free = 1;
            }

            List<ClaimedJob> claimed;
            try
            {
                claimed = await performer.ClaimAsync(free, stoppingToken);
            }
            catch (Exception)
            {
                slots.Release(free);
                throw;
            }

            slots.Release(free - claimed.Count);
            signal.Forget(claimed.Count < free ? known : claimed.Count);
            foreach (var job in claimed)
            {
                Start(job, stoppingToken);
            }
        }
    }

    /// <summary>Runs a claimed job in the slot taken for it, then the next jobs (or batches) its transactions claim, then frees the slot.</summary>
    private void Start(ClaimedJob first, CancellationToken stoppingToken)
    {
        var run = Task.Run(async () =>
        {
            try
            {
                for (IReadOnlyList<ClaimedJob> jobs = [first]; jobs.Count > 0;)
                {
                    jobs = await performer.PerformAsync(jobs, stoppingToken);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                logger.LogError(e, "executor could not run or settle job {Uuid}", first.Uuid);
            }
            finally
            {
                slots.Release(1);
            }
        }, CancellationToken.None);
        _running[run] = 0;
        _ = run.ContinueWith(done => _running.TryRemove(done, out _), TaskScheduler.Default);
    }
}
