using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Batched completion (a channel's <c>batch=N</c>): up to N-1 more jobs are claimed for the slot in one autocommitted
/// statement, as any claim (started, under one try token); then one transaction runs them one after the other, each in
/// a savepoint, and commits their <c>done</c> together in one statement: one commit (one disk flush) for N jobs. A job
/// that raises is rolled back to its savepoint and its outcome written in the batch; a commit that fails runs the whole
/// batch again (the first job's try counted, the others given back); a crash leaves them started for the rescue of dead
/// nodes. Jobs whose function has a timeout are never batched.
/// </summary>
/// <remarks>
/// The claims commit before the batch runs so that no row stays updated by a long uncommitted transaction: another
/// executor's <c>FOR UPDATE SKIP LOCKED</c> that follows such a row's update chain waits for it whatever its wait
/// policy, which stalled batches for Npgsql's command timeout and made them deadlock victims.
/// </remarks>
internal sealed partial class JobPerformer
{
    private const string Savepoint = "queue_job_batch";

    /// <summary>What renews the savepoint between two jobs of a batch, in one round trip.</summary>
    private static readonly string[] NextSavepoint = [$"RELEASE SAVEPOINT {Savepoint}", $"SAVEPOINT {Savepoint}"];

    /// <summary>Runs <paramref name="first"/> and the jobs claimed with it; returns the job claimed for after the batch, if any.</summary>
    private async Task<ClaimedJob?> PerformBatchAsync(ClaimedJob first, int size, CancellationToken stopClaiming)
    {
        var done = new List<(ClaimedJob Job, string? Result, TimeSpan? Took)>();
        var jobs = new List<ClaimedJob> { first };
        var aheadToken = Guid.NewGuid();
        ClaimedJob? next = null;
        Env? env = null;
        try
        {
            var (ahead, tookEnqueued) = await ClaimAheadAsync(first, size - 1, aheadToken);
            jobs.AddRange(ahead);
            env = await _database.BeginAsync();
            await env.ExecuteAsync($"SAVEPOINT {Savepoint}");
            var backend = env.Connection.ProcessID;
            foreach (var job in jobs)
            {
                _running[job.Id] = (job, backend);
                if (await RunInBatchAsync(env, job) is { } ran)
                {
                    done.Add(ran);
                }
            }

            if (done.Count > 0)
            {
                (var settled, next) = await SettleDoneAsync(env, done, claimNext: !stopClaiming.IsCancellationRequested, wakeRunner: tookEnqueued);
                if (settled < done.Count)
                {
                    throw new InvalidOperationException($"{done.Count - settled} jobs of a batch on {first.Channel} were taken from this node while it ran; the batch is rolled back.");
                }
            }

            await env.CommitAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Rolled back: the jobs claimed with the first go back to pending (their tries not counted), and so does
            // a next job whose claim may have committed although the answer was lost.
            _lostClaims[aheadToken] = DateTime.UtcNow;
            if (next is not null)
            {
                _lostClaims[next.Token] = DateTime.UtcNow;
            }

            _logger.LogWarning(e, "a batch of {Count} jobs on {Channel} was rolled back; its jobs run again", jobs.Count, first.Channel);
            _unsettled[first.Id] = (first, JobOutcome.ForError(e, first.Retry, first.MaxRetries, first.RetryPattern, Random.Shared));
            await RecoverAsync();
            return null;
        }
        finally
        {
            foreach (var job in jobs)
            {
                _running.TryRemove(job.Id, out _);
            }

            if (env is not null)
            {
                await env.DisposeAsync();
            }
        }

        foreach (var (job, _, took) in done)
        {
            RecordCommitted(job, done: true, took ?? TimeSpan.Zero);
        }

        return next;
    }

    /// <summary>
    /// Claims up to <paramref name="count"/> more jobs for the batch (the candidates of <paramref name="first"/>'s slot)
    /// in one autocommitted statement under <paramref name="token"/>; says whether any was taken from the enqueued ones
    /// (their capacity is then freed for the runner to refill). A claim whose answer is lost is given back by the caller.
    /// </summary>
    private async Task<(List<ClaimedJob> Jobs, bool TookEnqueued)> ClaimAheadAsync(ClaimedJob first, int count, Guid token)
    {
        var handOff = _handsOver && _handOffChannels.GetOrAdd(first.Channel, _channels.HandOffChannel) is not null;
        await using var claim = _database.CreateCommand(ClaimStatements.ClaimAhead, Environment.ProcessId, _node.Id, token, count, handOff);
        var (jobs, tookEnqueued) = (new List<ClaimedJob>(), false);
        await using var reader = await claim.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            jobs.Add(ClaimedJob.Read(reader));
            tookEnqueued |= ClaimedJob.Column<string>(reader, "claimed_from") == JobState.Enqueued;
        }

        return (jobs, tookEnqueued);
    }

    /// <summary>
    /// Runs one job of a batch in the savepoint, then opens the next savepoint: what to settle when it returned; null
    /// when it raised (rolled back to the savepoint, its outcome written in the batch and kept by the next savepoint,
    /// so that a failure after it cannot roll it back). A job that returned without using the transaction
    /// (<see cref="Env.Uses"/>) left nothing to keep or roll back: the savepoint stays as it is, with no round trip.
    /// </summary>
    private async Task<(ClaimedJob Job, string? Result, TimeSpan? Took)?> RunInBatchAsync(Env env, ClaimedJob job)
    {
        var clock = Stopwatch.StartNew();
        var uses = env.Uses;
        try
        {
            var result = await JobInvoker.InvokeAsync(env.WithUser(job.UserId ?? Env.SuperuserId).WithContext(job.Context), job);
            if (env.Uses != uses)
            {
                await RenewSavepointAsync(env);
            }

            return (job, result, clock.Elapsed);
        }
        catch (Exception e) when (e is not OutOfMemoryException && !JobOutcome.IsConnectionLoss(e))
        {
            if (env.Uses != uses)
            {
                await env.ExecuteAsync($"ROLLBACK TO SAVEPOINT {Savepoint}");
            }

            await StoreOutcomeAsync(env, job, Judge(job, e, clock.Elapsed));
            await RenewSavepointAsync(env);
            return null;
        }
    }

    /// <summary>Keeps what the transaction holds so far and opens the next job's savepoint, in one round trip.</summary>
    private static async Task RenewSavepointAsync(Env env)
    {
        await using var batch = new NpgsqlBatch(env.Connection, env.Transaction);
        foreach (var statement in NextSavepoint)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(statement));
        }

        await batch.ExecuteNonQueryAsync(env.CancellationToken);
    }
}
