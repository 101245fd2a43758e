using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using PluginHost.Sdk;
using PluginHost.Sdk.Advanced;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Batched completion (a channel's <c>batch=N</c>): one transaction runs the jobs of a batch one after the other, each
/// after a savepoint, and one statement commits their <c>done</c> together and claims the slot's next batch of up to N
/// jobs (none with a timeout): one commit (one disk flush) for N jobs. A job that raises is rolled back to its
/// savepoint and its outcome written in the batch; a commit that fails runs the whole batch again (its first job's try
/// counted, the others given back); a crash leaves them started for the rescue of dead nodes. A slot's first batch is
/// the one job it claimed; jobs whose function has a timeout run alone.
/// </summary>
/// <remarks>
/// The next batch is claimed by the last statement before the commit, so that no row stays updated by a long
/// uncommitted transaction: another executor's <c>FOR UPDATE SKIP LOCKED</c> that follows such a row's update chain
/// waits for it whatever its wait policy (claiming a batch's jobs at its start stalled batches for Npgsql's command
/// timeout and made them deadlock victims).
/// </remarks>
internal sealed partial class JobPerformer
{
    private const string Savepoint = "queue_job_batch";

    /// <summary>Runs the jobs of a batch; returns the next batch, claimed (up to <paramref name="size"/> jobs) by its commit.</summary>
    private async Task<IReadOnlyList<ClaimedJob>> PerformBatchAsync(IReadOnlyList<ClaimedJob> jobs, int size, CancellationToken stopClaiming)
    {
        var done = new List<(ClaimedJob Job, string? Result, TimeSpan? Took)>();
        var failed = new List<(ClaimedJob Job, JobOutcome.Failed Failure)>();
        List<ClaimedJob> next = [];
        var settled = true;
        Exception? lost = null;
        Env? env = null;
        try
        {
            env = await _database.BeginJobAsync(Env.SuperuserId, null, CancellationToken.None);
            var backend = env.NpgsqlConnection().ProcessID;
            var savepoint = new BatchSavepoint();
            foreach (var job in jobs)
            {
                _running[job.Id] = (job, backend);
                if (await RunInBatchAsync(env, job, savepoint, failed) is { } ran)
                {
                    done.Add(ran);
                }
            }

            if (done.Count == 0)
            {
                await env.CommitAsync();
            }
            else
            {
                (settled, next) = await SettleDoneAsync(env, done, claim: stopClaiming.IsCancellationRequested ? 0 : size, batch: true, commit: true);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            lost = e;
        }
        finally
        {
            foreach (var job in jobs)
            {
                _running.TryRemove(job.Id, out _);
            }

            // Rolled back unless committed, before anything is written about its jobs (it may still hold their rows).
            if (env is not null)
            {
                await env.DisposeAsync();
            }
        }

        if (lost is not null || !settled)
        {
            await GiveBackAsync(jobs, lost);
            return [];
        }

        foreach (var (job, _, took) in done)
        {
            RecordCommitted(job, done: true, took ?? TimeSpan.Zero);
        }

        // The failures stored in the batch committed with it: the failure handlers hear of them now.
        foreach (var (job, failure) in failed)
        {
            await _failures.NotifyAsync(JobFailureNotifier.Describe(_database, job, failure));
        }

        return next;
    }

    /// <summary>
    /// After a batch rolled back, its jobs run again: when a job was taken from it while it ran (requeued, or rescued
    /// from a node taken for dead), the others go back to pending with their tries not counted; when the batch
    /// failed (<paramref name="error"/>), the first job's try counts (so that a batch that can never commit ends)
    /// and the others go back. A next batch whose claim may have committed although the answer was lost is given
    /// back by the settle.
    /// </summary>
    private async Task GiveBackAsync(IReadOnlyList<ClaimedJob> jobs, Exception? error)
    {
        var first = jobs[0];
        foreach (var token in jobs.Skip(error is null ? 0 : 1).Select(j => j.Token).Distinct())
        {
            _lostClaims[token] = DateTime.UtcNow;
        }

        if (error is null)
        {
            _logger.LogWarning("a batch of {Count} jobs on {Channel} was rolled back: one was taken from this node while it ran; the others run again", jobs.Count, first.Channel);
        }
        else
        {
            _logger.LogWarning(error, "a batch of {Count} jobs on {Channel} was rolled back; its jobs run again", jobs.Count, first.Channel);
            _unsettled[first.Id] = (first, JobOutcome.ForError(error, first.Retry, first.MaxRetries, first.RetryPattern, Random.Shared));
        }

        await RecoverAsync();
    }

    /// <summary>
    /// Runs one job of a batch after the savepoint that keeps what the transaction holds so far: null when it raised
    /// (its work rolled back, its outcome written in the batch for the next savepoint to keep, so that a failure after
    /// it cannot roll it back), else what to settle. The savepoint is renewed only when the transaction holds work that
    /// no savepoint keeps yet, in one round trip: none before the batch's first job, which has nothing before it to
    /// keep (when it raises, the whole transaction rolls back and begins again), and none after a job that did not
    /// use the transaction (<see cref="Env.Uses"/>). A failure stored is added to <paramref name="failed"/>, to be told of
    /// once the batch commits.
    /// </summary>
    private async Task<(ClaimedJob Job, string? Result, TimeSpan? Took)?> RunInBatchAsync(Env env, ClaimedJob job, BatchSavepoint savepoint,
        List<(ClaimedJob Job, JobOutcome.Failed Failure)> failed)
    {
        if (savepoint.Behind)
        {
            await savepoint.RenewAsync(env);
        }

        var clock = Stopwatch.StartNew();
        var uses = env.Uses;
        try
        {
            var result = await JobInvoker.InvokeAsync(env.WithUser(job.UserId ?? Env.SuperuserId).WithContext(job.Context), job);
            savepoint.Behind |= env.Uses != uses;
            return (job, result, clock.Elapsed);
        }
        catch (Exception e) when (e is not OutOfMemoryException && !JobOutcome.IsConnectionLoss(e))
        {
            if (env.Uses != uses)
            {
                await savepoint.RollBackAsync(env);
            }

            var outcome = Judge(job, e, clock.Elapsed);
            if (await StoreOutcomeAsync(env, job, outcome) && outcome is JobOutcome.Failed failure)
            {
                failed.Add((job, failure));
            }

            savepoint.Behind = true;
            return null;
        }
    }

    /// <summary>Where a batch's transaction stands with its savepoint.</summary>
    private sealed class BatchSavepoint
    {
        /// <summary>What renews the savepoint, in one round trip.</summary>
        private static readonly string[] Renew = [$"RELEASE SAVEPOINT {Savepoint}", $"SAVEPOINT {Savepoint}"];

        /// <summary>True once a savepoint was set.</summary>
        private bool _set;

        /// <summary>True when the transaction holds work that no savepoint keeps.</summary>
        public bool Behind { get; set; }

        /// <summary>Sets the savepoint (releasing the one before), keeping everything the transaction holds so far.</summary>
        public async Task RenewAsync(Env env)
        {
            await using var batch = new NpgsqlBatch(env.NpgsqlConnection(), env.NpgsqlTransaction());
            foreach (var statement in _set ? Renew : Renew[1..])
            {
                batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
            }

            await batch.ExecuteNonQueryAsync(env.CancellationToken);
            (_set, Behind) = (true, false);
        }

        /// <summary>Rolls back to the savepoint; without one the transaction held nothing else, and begins again.</summary>
        public Task RollBackAsync(Env env) =>
            env.ExecuteAsync(_set ? $"ROLLBACK TO SAVEPOINT {Savepoint}" : "ROLLBACK AND CHAIN");
    }
}
