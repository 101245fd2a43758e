using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Npgsql;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Runs jobs of one database through their states: claim (<c>enqueued → started</c>, committed), run in a new
/// transaction that also marks the job <c>done</c>, or on error roll back and store the outcome in a transaction
/// of its own. Every outcome is written only while the job is still this node's try.
/// </summary>
/// <remarks>
/// A lost database connection leaves nothing <c>started</c> for ever: an outcome the database could not take is
/// kept and written by <see cref="RecoverAsync"/> once it is back, and after a claim whose answer was lost, this
/// node's started jobs it neither runs nor holds an outcome for go back to pending.
/// </remarks>
internal sealed class JobPerformer(Database database, NodeIdentity node, JobMetrics metrics, ILogger<JobPerformer> logger)
{
    /// <summary>The exception name stored when a job's own outcome could not be.</summary>
    private const string OutcomeRefused = "PluginHost.Addons.QueueJob.OutcomeNotStored";

    /// <summary>Outcomes not written yet, by job id; an entry leaves only once written (or given up).</summary>
    private readonly ConcurrentDictionary<long, (ClaimedJob Job, JobOutcome Outcome)> _unsettled = new();

    /// <summary>Ids of the <see cref="_unsettled"/> outcomes an executor is writing right now.</summary>
    private readonly ConcurrentDictionary<long, byte> _settling = new();

    /// <summary>Ids of the jobs this node runs now, from their claim to their outcome's hand-over.</summary>
    private readonly ConcurrentDictionary<long, byte> _held = new();

    /// <summary>Held by a claim until its job is registered in <see cref="_held"/>, and by the release of lost claims.</summary>
    private readonly SemaphoreSlim _claiming = new(1);

    private volatile bool _claimLost;

    /// <summary>Runs the most urgent enqueued job, if any; false when there was none.</summary>
    public async Task<bool> RunNextAsync(CancellationToken cancellationToken) =>
        await ClaimAsync(JobStatements.ClaimEnqueued, [Environment.ProcessId, node.Id], cancellationToken) is { } job && await PerformAsync(job);

    /// <summary>Runs the named job if it is enqueued (as <c>/queue_job/runjob</c> does); false when it is not.</summary>
    public async Task<bool> RunAsync(string uuid, CancellationToken cancellationToken) =>
        await ClaimAsync(JobStatements.ClaimByUuid, [Environment.ProcessId, node.Id, uuid], cancellationToken) is { } job && await PerformAsync(job);

    /// <summary>True while outcomes wait for the database or a lost claim waits to be released.</summary>
    public bool NeedsRecovery => !_unsettled.IsEmpty || _claimLost;

    /// <summary>
    /// Writes the outcomes the database could not take earlier, then releases lost claims; false while the
    /// database stays out of reach.
    /// </summary>
    public async Task<bool> RecoverAsync()
    {
        foreach (var (id, entry) in _unsettled)
        {
            if (!_settling.TryAdd(id, 0))
            {
                continue;
            }

            try
            {
                if (!await TryStoreAsync(entry.Job, entry.Outcome))
                {
                    return false;
                }

                _unsettled.TryRemove(id, out _);
            }
            finally
            {
                _settling.TryRemove(id, out _);
            }
        }

        if (!_claimLost)
        {
            return true;
        }

        await _claiming.WaitAsync();
        try
        {
            // Outcomes being written stay in _unsettled until written: their jobs are excluded too.
            await using var release = database.CreateCommand(JobStatements.ReleaseUnclaimed, node.Id, _held.Keys.Concat(_unsettled.Keys).ToArray());
            var released = await release.ExecuteNonQueryAsync();
            _claimLost = false;
            if (released > 0)
            {
                logger.LogWarning("{Count} jobs claimed by this node while the database connection was lost went back to pending", released);
            }

            return true;
        }
        catch (Exception e) when (JobOutcome.IsConnectionLoss(e))
        {
            return false;
        }
        finally
        {
            _claiming.Release();
        }
    }

    private async Task<bool> PerformAsync(ClaimedJob job)
    {
        try
        {
            var outcome = await RunAsync(job);
            if (outcome is not null)
            {
                _unsettled[job.Id] = (job, outcome);
                await RecoverAsync();
            }

            return true;
        }
        finally
        {
            _held.TryRemove(job.Id, out _);
        }
    }

    /// <summary>Runs the job; null when its work committed (or it was no longer this try), else the outcome to store.</summary>
    private async Task<JobOutcome?> RunAsync(ClaimedJob job)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var deadline = new CancellationTokenSource();
        if (job.Timeout is { } timeout)
        {
            deadline.CancelAfter(timeout);
        }

        Env? env = null;
        var backend = 0;
        Task<bool>? run = null;
        try
        {
            env = await database.BeginAsync(job.UserId ?? Env.SuperuserId, job.Context, deadline.Token);
            backend = env.Connection.ProcessID;
            var started = env;

            // On a thread of its own: a method that blocks must not hold the executor past its timeout.
            run = Task.Run(() => RunAndCommitAsync(started, job));
            RecordCommitted(job, await run.WaitAsync(deadline.Token), clock.Elapsed);
            return null;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (run is { IsCompletedSuccessfully: true })
            {
                // The commit won the race with the timeout.
                RecordCommitted(job, run.Result, clock.Elapsed);
                return null;
            }

            // The job's transaction is rolled back; its outcome is stored in a transaction of its own.
            var error = deadline.IsCancellationRequested
                ? new JobTimeoutError($"Job {job.Uuid} {job.ModelName}.{job.MethodName} ran longer than its job function's timeout of {job.Timeout!.Value.TotalSeconds} s.")
                : e;
            var outcome = JobOutcome.ForError(error, job.Retry, job.MaxRetries, job.RetryPattern, Random.Shared);
            if (outcome is JobOutcome.Failed)
            {
                logger.LogError(error == e ? e : error, "job {Uuid} {Model}.{Method} on {Channel} failed after {Seconds:0.000} s", job.Uuid, job.ModelName, job.MethodName, job.Channel, clock.Elapsed.TotalSeconds);
            }

            metrics.Record(job.Channel, outcome switch { JobOutcome.Done => "done", JobOutcome.Postponed => "postponed", _ => "failed" }, clock.Elapsed);
            return outcome;
        }
        finally
        {
            await ReleaseAsync(env, backend, run, job);
        }
    }

    /// <summary>Logs and counts a run that ended in its own transaction: done, or found requeued meanwhile.</summary>
    private void RecordCommitted(ClaimedJob job, bool done, TimeSpan elapsed)
    {
        if (!done)
        {
            logger.LogWarning("job {Uuid} on {Channel} was requeued while it ran here; its work is rolled back", job.Uuid, job.Channel);
            return;
        }

        metrics.Record(job.Channel, "done", elapsed);
        logger.LogInformation("job {Uuid} {Model}.{Method} on {Channel} done in {Seconds:0.000} s", job.Uuid, job.ModelName, job.MethodName, job.Channel, elapsed.TotalSeconds);
    }

    /// <summary>Runs the method and commits its work with the job marked done; false when the job is no longer this try.</summary>
    private async Task<bool> RunAndCommitAsync(Env env, ClaimedJob job)
    {
        var result = await JobInvoker.InvokeAsync(env, job);
        if (await env.ExecuteAsync(JobStatements.SetDone, job.Id, node.Id, job.StartedAt, result) == 0)
        {
            // Rescued while it ran (this node was taken for dead): its writes are rolled back, the new try counts.
            return false;
        }

        await JobDependencies.ReleaseAsync(env, [job.Id]);
        await env.CommitAsync();
        return true;
    }

    /// <summary>
    /// Rolls back and closes the job's environment. A method still running after its timeout has its session
    /// terminated (the server rolls back and frees its locks at once); it keeps the broken environment until it
    /// returns, and nothing it does can commit.
    /// </summary>
    private async Task ReleaseAsync(Env? env, int backend, Task<bool>? run, ClaimedJob job)
    {
        if (env is null)
        {
            return;
        }

        if (run is null || run.IsCompleted)
        {
            await env.DisposeAsync();
            return;
        }

        // The environment is not disposed before the method returns, so its connection, and backend, are still its own.
        try
        {
            await using var terminate = database.CreateCommand("SELECT pg_terminate_backend($1)", backend);
            await terminate.ExecuteNonQueryAsync();
            logger.LogWarning("job {Uuid} on {Channel} is still running past its timeout; its database session was terminated", job.Uuid, job.Channel);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning(e, "job {Uuid} on {Channel} is still running past its timeout; its database session could not be terminated", job.Uuid, job.Channel);
        }

        _ = run.ContinueWith(async _ =>
        {
            try
            {
                await env.DisposeAsync();
            }
            catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
            {
                // The session was terminated: nothing is left to roll back.
                logger.LogDebug(e, "job {Uuid}: closing its terminated session", job.Uuid);
            }
        }, TaskScheduler.Default).Unwrap();
    }

    /// <summary>
    /// Stores an outcome; false when the database is out of reach. An outcome the database (or the driver) refuses
    /// is replaced by a failure saying why, so the job does not stay started.
    /// </summary>
    private async Task<bool> TryStoreAsync(ClaimedJob job, JobOutcome outcome)
    {
        try
        {
            await StoreOutcomeAsync(job, outcome);
            logger.LogDebug("job {Uuid} on {Channel}: outcome stored", job.Uuid, job.Channel);
            return true;
        }
        catch (Exception e) when (JobOutcome.IsConnectionLoss(e))
        {
            logger.LogWarning("job {Uuid} on {Channel}: its outcome waits for the database: {Error}", job.Uuid, job.Channel, e.Message);
            return false;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (outcome is JobOutcome.Failed { ExceptionName: OutcomeRefused })
            {
                logger.LogCritical(e, "job {Uuid} on {Channel}: no outcome could be stored; it stays started until this node stops", job.Uuid, job.Channel);
                return true;
            }

            logger.LogError(e, "job {Uuid} on {Channel}: its outcome was refused; storing the refusal as its failure", job.Uuid, job.Channel);
            return await TryStoreAsync(job, new JobOutcome.Failed(OutcomeRefused, JobOutcome.Storable($"The outcome of this try could not be stored: {e.Message}"),
                JobOutcome.Storable(e.ToString())));
        }
    }

    private async Task StoreOutcomeAsync(ClaimedJob job, JobOutcome outcome)
    {
        await using var env = await database.BeginAsync();
        switch (outcome)
        {
            case JobOutcome.Done done:
                await env.ExecuteAsync(JobStatements.SetDone, job.Id, node.Id, job.StartedAt, done.Result);
                await JobDependencies.ReleaseAsync(env, [job.Id]);
                break;
            case JobOutcome.Postponed postponed:
                logger.LogInformation("job {Uuid} on {Channel} postponed by {Seconds} s: {Reason}", job.Uuid, job.Channel, postponed.Seconds, postponed.Reason);
                await env.ExecuteAsync(JobStatements.Postpone, job.Id, node.Id, job.StartedAt, (double)postponed.Seconds, postponed.Reason, postponed.CountsAsTry);
                break;
            case JobOutcome.Failed failed:
                await env.ExecuteAsync(JobStatements.SetFailed, job.Id, node.Id, job.StartedAt, failed.ExceptionName, failed.Message, failed.Details);
                break;
        }

        await env.CommitAsync();
    }

    /// <summary>
    /// Claims a job in one autocommitted statement, so it is <c>started</c> for everyone before it runs. When the
    /// answer is lost (connection, cancellation), the claim may still have committed: lost claims are released by
    /// <see cref="RecoverAsync"/>.
    /// </summary>
    private async Task<ClaimedJob?> ClaimAsync(string sql, object[] parameters, CancellationToken cancellationToken)
    {
        await _claiming.WaitAsync(cancellationToken);
        try
        {
            await using var command = database.CreateCommand(sql, parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return null;
            }

            var job = ClaimedJob.Read(reader);
            _held[job.Id] = 0;
            return job;
        }
        catch (Exception)
        {
            _claimLost = true;
            throw;
        }
        finally
        {
            _claiming.Release();
        }
    }
}
