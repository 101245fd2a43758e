using System.Collections.Concurrent;
using System.Data;
using Microsoft.Extensions.Logging;
using Npgsql;
using PluginHost.Addons.QueueJob.Internal.Channels;
using PluginHost.Sdk;
using PluginHost.Sdk.Advanced;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Runs jobs of one database through their states: claims (<c>enqueued → started</c>, committed, under a try token),
/// runs each in a new transaction that also marks it <c>done</c> and claims the executor's next job, or on error rolls
/// back and stores the outcome in a transaction of its own. Every outcome is written under its try's token, so
/// correctness rests on the rows, not on anything this process holds.
/// </summary>
/// <remarks>
/// A lost database connection leaves nothing <c>started</c> for ever: an outcome the database could not take is
/// kept and written by <see cref="RecoverAsync"/> once it is back, and the claims whose answer was lost are given
/// back by their tokens.
/// </remarks>
internal sealed partial class JobPerformer
{
    /// <summary>The exception name stored when a job's own outcome could not be.</summary>
    private const string OutcomeRefused = "PluginHost.Addons.QueueJob.OutcomeNotStored";

    /// <summary>For callers that run one job and no other.</summary>
    private static readonly CancellationToken ClaimNothing = new(canceled: true);

    /// <summary>How long a lost claim's token is given back again on each recovery, in case the claim was still on its way.</summary>
    private static readonly TimeSpan LostClaimGrace = TimeSpan.FromSeconds(30);

    private readonly Database _database;
    private readonly NodeIdentity _node;
    private readonly JobMetrics _metrics;
    private readonly ILogger<JobPerformer> _logger;
    private readonly ChannelManager _channels;
    private readonly JobFailureNotifier _failures;
    private readonly bool _handsOver;
    private readonly ConcurrentDictionary<string, string?> _handOffChannels = new(StringComparer.Ordinal);

    /// <summary>Outcomes not written yet, by job id; an entry leaves only once written (or given up).</summary>
    private readonly ConcurrentDictionary<long, (ClaimedJob Job, JobOutcome Outcome)> _unsettled = new();

    /// <summary>Ids of the <see cref="_unsettled"/> outcomes an executor is writing right now.</summary>
    private readonly ConcurrentDictionary<long, byte> _settling = new();

    /// <summary>The jobs running now, with their database session, by job id.</summary>
    private readonly ConcurrentDictionary<long, (ClaimedJob Job, int Backend)> _running = new();

    /// <summary>Tokens of claims whose answer was lost, with when: their jobs are given back.</summary>
    private readonly ConcurrentDictionary<Guid, DateTime> _lostClaims = new();

    /// <summary>Outcomes the database could not take, in a row: an outage is logged when it begins and once a minute.</summary>
    private readonly FailureSeries _storeFailures;

    /// <summary>
    /// A performer for <paramref name="database"/>. <paramref name="runner"/> gives this node's channels: a settling
    /// executor hands its slot to the next pending job only where they allow it (<see cref="ChannelManager.HandOffChannel"/>),
    /// and never on a node without a runner, which does not know the capacities. <paramref name="failures"/> is told of
    /// each failure once it is stored; without it, failures are logged and no handler is called.
    /// </summary>
    public JobPerformer(Database database, NodeIdentity node, RunnerOptions runner, JobMetrics metrics, ILogger<JobPerformer> logger,
        JobFailureNotifier? failures = null)
    {
        (_database, _node, _metrics, _logger) = (database, node, metrics, logger);
        _failures = failures ?? new JobFailureNotifier([], logger);
        _storeFailures = new FailureSeries(logger, "storing job outcomes");
        _channels = new ChannelManager(runner.Channels);
        _handsOver = runner.Enabled;
    }

    /// <summary>True while outcomes wait for the database or lost claims wait to be given back.</summary>
    public bool NeedsRecovery => !_unsettled.IsEmpty || !_lostClaims.IsEmpty;

    /// <summary>Claims up to <paramref name="count"/> enqueued jobs, the most urgent first, in one statement.</summary>
    public Task<List<ClaimedJob>> ClaimAsync(int count, CancellationToken cancellationToken) =>
        ClaimAsync(ClaimStatements.ClaimEnqueued, count, cancellationToken);

    /// <summary>Runs the most urgent enqueued job, if any, and no other; false when there was none.</summary>
    public async Task<bool> RunNextAsync(CancellationToken cancellationToken)
    {
        var claimed = await ClaimAsync(1, cancellationToken);
        foreach (var job in claimed)
        {
            await PerformAsync([job], ClaimNothing);
        }

        return claimed.Count > 0;
    }

    /// <summary>Runs the named job if it is enqueued (as <c>/queue_job/runjob</c> does); false when it is not.</summary>
    public async Task<bool> RunAsync(string uuid, CancellationToken cancellationToken)
    {
        var claimed = await ClaimAsync(ClaimStatements.ClaimByUuid, uuid, cancellationToken);
        foreach (var job in claimed)
        {
            await PerformAsync([job], ClaimNothing);
        }

        return claimed.Count > 0;
    }

    /// <summary>
    /// Runs claimed jobs to their outcomes: one job, or the jobs of a batch (a channel's <c>batch=N</c>, and always
    /// the jobs a batch claimed for the next). When they commit done before <paramref name="stopClaiming"/> is
    /// cancelled, their transaction also claims the executor's next job or batch, returned to be performed next
    /// (empty when none).
    /// </summary>
    public async Task<IReadOnlyList<ClaimedJob>> PerformAsync(IReadOnlyList<ClaimedJob> jobs, CancellationToken stopClaiming)
    {
        var job = jobs[0];
        if (jobs.Count > 1 || job.Timeout is null && _channels.BatchSize(job.Channel) > 1)
        {
            return await PerformBatchAsync(jobs, _channels.BatchSize(job.Channel), stopClaiming);
        }

        // A job with a timeout may be abandoned before its commit: it claims nothing for the executor to run next.
        var (outcome, next) = await RunAsync(job, job.Timeout is null ? stopClaiming : ClaimNothing);
        if (outcome is not null)
        {
            _unsettled[job.Id] = (job, outcome);
            await RecoverAsync();
        }

        return next;
    }

    /// <summary>
    /// Writes the outcomes the database could not take earlier, then gives back lost claims; false while the
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

        return _lostClaims.IsEmpty || await ReleaseLostClaimsAsync();
    }

    private async Task<bool> ReleaseLostClaimsAsync()
    {
        var lost = _lostClaims.ToArray();
        try
        {
            await using var release = _database.CreateCommand(SettleStatements.ReleaseClaims, lost.Select(c => c.Key).ToArray());
            var released = await release.ExecuteNonQueryAsync();
            if (released > 0)
            {
                _logger.LogWarning("{Count} jobs claimed by this node while the database connection was lost went back to pending", released);
            }
        }
        catch (Exception e) when (JobOutcome.IsConnectionLoss(e))
        {
            return false;
        }

        // A claim still on its way when its answer was lost may commit later: its token is given back again until the grace ends.
        foreach (var (token, lostAt) in lost.Where(c => DateTime.UtcNow - c.Value > LostClaimGrace))
        {
            _lostClaims.TryRemove(new KeyValuePair<Guid, DateTime>(token, lostAt));
        }

        return true;
    }

    /// <summary>Runs the job; the outcome is null when its work committed (or it was no longer this try), else the outcome to store.</summary>
    private async Task<(JobOutcome? Outcome, IReadOnlyList<ClaimedJob> Next)> RunAsync(ClaimedJob job, CancellationToken stopClaiming)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var deadline = new CancellationTokenSource();
        if (job.Timeout is { } timeout)
        {
            deadline.CancelAfter(timeout);
        }

        Env? env = null;
        var backend = 0;
        Task<(bool Done, IReadOnlyList<ClaimedJob> Next)>? run = null;
        try
        {
            env = await _database.BeginJobAsync(job.UserId ?? Env.SuperuserId, job.Context, deadline.Token);
            backend = env.NpgsqlConnection().ProcessID;
            _running[job.Id] = (job, backend);
            var started = env;

            // With a timeout, on a thread of its own: a method that blocks must not hold the executor past it. Without
            // one, in the caller's flow (each slot runs its jobs on a task of its own): one thread hop less per job.
            run = job.Timeout is null
                ? RunAndCommitAsync(started, job, stopClaiming)
                : Task.Run(() => RunAndCommitAsync(started, job, stopClaiming));
            var (done, next) = await run.WaitAsync(deadline.Token);
            RecordCommitted(job, done, clock.Elapsed);
            return (null, next);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (run is { IsCompletedSuccessfully: true })
            {
                // The commit won the race with the timeout.
                RecordCommitted(job, run.Result.Done, clock.Elapsed);
                return (null, run.Result.Next);
            }

            // The job's transaction is rolled back; its outcome is stored in a transaction of its own.
            var error = deadline.IsCancellationRequested
                ? new JobTimeoutError($"Job {job.Uuid} {job.ModelName}.{job.MethodName} ran longer than its job function's timeout of {job.Timeout!.Value.TotalSeconds} s.")
                : e;
            return (Judge(job, error, clock.Elapsed), []);
        }
        finally
        {
            _running.TryRemove(job.Id, out _);
            await ReleaseAsync(env, backend, run, job);
        }
    }

    /// <summary>
    /// Gives back the tries of the jobs still running when the node stops past its shutdown timeout: their database
    /// sessions are terminated first (nothing of theirs can commit afterwards), then they go back to pending with the
    /// try not counted, each named in a warning. What a method did outside the database may still happen.
    /// </summary>
    public async Task AbandonRunningAsync(CancellationToken cancellationToken)
    {
        var running = _running.Values.ToList();
        if (running.Count == 0)
        {
            return;
        }

        await using (var terminate = _database.CreateCommand("SELECT pg_terminate_backend(pid, 5000) FROM unnest($1::int[]) pid", running.Select(r => r.Backend).ToArray()))
        {
            await terminate.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var release = _database.CreateCommand(SettleStatements.ReleaseClaims, running.Select(r => r.Job.Token).Distinct().ToArray()))
        {
            await release.ExecuteNonQueryAsync(cancellationToken);
        }

        foreach (var (job, _) in running)
        {
            _logger.LogWarning("job {Uuid} {Model}.{Method} on {Channel} was still running at the shutdown timeout: its database session was terminated and the job went back to pending",
                job.Uuid, job.ModelName, job.MethodName, job.Channel);
        }
    }

    /// <summary>The outcome of a try that raised <paramref name="error"/>, logged (when failed) and counted.</summary>
    private JobOutcome Judge(ClaimedJob job, Exception error, TimeSpan took)
    {
        var outcome = JobOutcome.ForError(error, job.Retry, job.MaxRetries, job.RetryPattern, Random.Shared);
        if (outcome is JobOutcome.Failed)
        {
            _logger.LogError(error, "job {Uuid} {Model}.{Method} on {Channel} failed after {Seconds:0.000} s", job.Uuid, job.ModelName, job.MethodName, job.Channel, took.TotalSeconds);
        }

        _metrics.Record(job.Channel, outcome switch { JobOutcome.Done => "done", JobOutcome.Postponed => "postponed", _ => "failed" }, took);
        return outcome;
    }

    /// <summary>Logs and counts a run that ended in its own transaction: done, or found requeued meanwhile.</summary>
    private void RecordCommitted(ClaimedJob job, bool done, TimeSpan elapsed)
    {
        if (!done)
        {
            _logger.LogWarning("job {Uuid} on {Channel} was requeued while it ran here; its work is rolled back", job.Uuid, job.Channel);
            return;
        }

        _metrics.Record(job.Channel, "done", elapsed);
        _logger.LogDebug("job {Uuid} {Model}.{Method} on {Channel} done in {Seconds:0.000} s", job.Uuid, job.ModelName, job.MethodName, job.Channel, elapsed.TotalSeconds);
    }

    /// <summary>
    /// Runs the method and commits its work with the job marked done (and the next job claimed); Done is false when
    /// the job is no longer this try.
    /// </summary>
    private async Task<(bool Done, IReadOnlyList<ClaimedJob> Next)> RunAndCommitAsync(Env env, ClaimedJob job, CancellationToken stopClaiming)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = await JobInvoker.InvokeAsync(env, job);
        var (settled, next) = await SettleDoneAsync(env, [(job, result, (TimeSpan?)clock.Elapsed)], claim: stopClaiming.IsCancellationRequested ? 0 : 1, batch: false, commit: true);

        // Not settled: rescued while it ran (this node was taken for dead); its writes are rolled back, the new try counts.
        return (settled, next);
    }

    /// <summary>
    /// Marks jobs done in <paramref name="env"/>'s transaction (each with its result and how long it ran), claims up to
    /// <paramref name="claim"/> jobs for the slot (with the <paramref name="batch"/> statement: none with a timeout),
    /// releases their dependents, and, when asked, commits. Settled is false, and the transaction is rolled back,
    /// when a job was no longer its try; nothing is claimed then.
    /// </summary>
    /// <remarks>
    /// Without dependents to release, the COMMIT goes with the settle statement in one round trip: the rows the
    /// statement locks (its jobs, the next ones, and rows of others' claims that its scan for candidates came across)
    /// are held for the commit alone, not also for the wait until this process is scheduled again to send it.
    /// </remarks>
    private async Task<(bool Settled, List<ClaimedJob> Next)> SettleDoneAsync(Env env, IReadOnlyList<(ClaimedJob Job, string? Result, TimeSpan? Took)> done,
        int claim, bool batch, bool commit)
    {
        var handOff = claim > 0 && _handsOver ? _handOffChannels.GetOrAdd(done[0].Job.Channel, _channels.HandOffChannel) : null;
        var token = Guid.NewGuid();
        object?[] parameters = batch
            ? [Environment.ProcessId, _node.Id, token, done.Select(d => d.Job.Id).ToArray(), done.Select(d => d.Job.Token).ToArray(),
                done.Select(d => d.Result).ToArray(), done.Select(d => d.Took?.TotalSeconds).ToArray(), claim > 0, claim]
            : [Environment.ProcessId, _node.Id, token, done[0].Job.Id, done[0].Job.Token, done[0].Result, done[0].Took?.TotalSeconds, claim > 0];
        var sql = (batch, handOff is not null) switch
        {
            (false, true) => ClaimStatements.SettleDoneAndHandOver,
            (false, false) => ClaimStatements.SettleDoneAndWakeRunner,
            (true, true) => ClaimStatements.SettleBatchAndHandOver,
            (true, false) => ClaimStatements.SettleBatchAndWakeRunner,
        };
        var dependents = done.Where(d => d.Job.HasDependents).Select(d => d.Job.Id).ToArray();
        var commitWithSettle = commit && dependents.Length == 0;
        var next = new List<ClaimedJob>();
        var wakeRunner = false;
        try
        {
            await using (var settle = new NpgsqlBatch(env.NpgsqlConnection(), env.NpgsqlTransaction()))
            {
                settle.BatchCommands.Add(Positional(sql, parameters));
                if (commitWithSettle)
                {
                    settle.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
                }

                await using var reader = await settle.ExecuteReaderAsync(env.CancellationToken);
                while (await reader.ReadAsync(env.CancellationToken))
                {
                    if (!reader.IsDBNull(reader.GetOrdinal("id")))
                    {
                        var job = ClaimedJob.Read(reader);
                        next.Add(job);

                        // The slot was handed over, unless a job claimed held capacity of its own (enqueued) or counts elsewhere.
                        wakeRunner |= reader.GetFieldValue<string>("claimed_from") == JobState.Enqueued || handOff is not null && !ChannelManager.IsWithin(job.Channel, handOff);
                    }
                }

                // The COMMIT's outcome, if it was sent.
                while (await reader.NextResultAsync(env.CancellationToken))
                {
                }
            }

            if (dependents.Length > 0)
            {
                await JobDependencies.ReleaseAsync(env, dependents);
            }

            if (commit && !commitWithSettle)
            {
                await env.CommitAsync();
            }
        }
        catch (PostgresException e) when (e.SqlState == ClaimStatements.TryTaken)
        {
            return (false, []);
        }
        catch (Exception) when (commit && claim > 0)
        {
            // The claim of the next jobs may have committed although the answer was lost.
            _lostClaims[token] = DateTime.UtcNow;
            throw;
        }

        if (handOff is not null && wakeRunner)
        {
            // After the commit (a claim is only asked for with one), outside the transaction: a runner about to sleep
            // then sees what it committed.
            await using var wake = new NpgsqlCommand("SELECT queue_job_wake_runner()", env.NpgsqlConnection());
            await wake.ExecuteNonQueryAsync(env.CancellationToken);
        }

        return (true, next);
    }

    /// <summary>A batch command with positional parameters (<c>$1</c>, …), null as SQL NULL.</summary>
    private static NpgsqlBatchCommand Positional(string sql, object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value ?? DBNull.Value });
        }

        return command;
    }

    /// <summary>
    /// Rolls back and closes the job's environment. A method still running after its timeout has its session
    /// terminated (the server rolls back and frees its locks at once); it keeps the broken environment until it
    /// returns, and nothing it does can commit.
    /// </summary>
    private async Task ReleaseAsync(Env? env, int backend, Task? run, ClaimedJob job)
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
            await using var terminate = _database.CreateCommand("SELECT pg_terminate_backend($1)", backend);
            await terminate.ExecuteNonQueryAsync();
            _logger.LogWarning("job {Uuid} on {Channel} is still running past its timeout; its database session was terminated", job.Uuid, job.Channel);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _logger.LogWarning(e, "job {Uuid} on {Channel} is still running past its timeout; its database session could not be terminated", job.Uuid, job.Channel);
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
                _logger.LogDebug(e, "job {Uuid}: closing its terminated session", job.Uuid);
            }
        }, TaskScheduler.Default).Unwrap();
    }

    /// <summary>
    /// Stores an outcome; false when the database is out of reach. An outcome the database (or the driver) refuses
    /// is replaced by a failure saying why, so the job does not stay started.
    /// </summary>
    private async Task<bool> TryStoreAsync(ClaimedJob job, JobOutcome outcome)
    {
        bool stored;
        try
        {
            stored = await StoreOutcomeAsync(job, outcome);
            _storeFailures.Succeeded();
            _logger.LogDebug("job {Uuid} on {Channel}: outcome stored", job.Uuid, job.Channel);
        }
        catch (Exception e) when (JobOutcome.IsConnectionLoss(e))
        {
            _storeFailures.Failed(e, $"the outcome of job {job.Uuid} on {job.Channel} waits for the database", DateTime.UtcNow);
            return false;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (outcome is JobOutcome.Failed { ExceptionName: OutcomeRefused })
            {
                _logger.LogCritical(e, "job {Uuid} on {Channel}: no outcome could be stored; it stays started until this node stops", job.Uuid, job.Channel);
                return true;
            }

            _logger.LogError(e, "job {Uuid} on {Channel}: its outcome was refused; storing the refusal as its failure", job.Uuid, job.Channel);
            return await TryStoreAsync(job, new JobOutcome.Failed(OutcomeRefused, JobOutcome.Storable($"The outcome of this try could not be stored: {e.Message}"),
                JobOutcome.Storable(e.ToString())));
        }

        // Committed, and still this try's: the failure handlers hear of it now, outside any transaction.
        if (stored && outcome is JobOutcome.Failed failed)
        {
            await _failures.NotifyAsync(JobFailureNotifier.Describe(_database, job, failed));
        }

        return true;
    }

    /// <summary>Stores an outcome in a transaction of its own; false when the job was no longer this try.</summary>
    private async Task<bool> StoreOutcomeAsync(ClaimedJob job, JobOutcome outcome)
    {
        await using var env = await _database.BeginAsync();
        var stored = await StoreOutcomeAsync(env, job, outcome);
        await env.CommitAsync();
        return stored;
    }

    /// <summary>Writes an outcome in <paramref name="env"/>'s transaction, under the try's guard; false when the job was no longer this try.</summary>
    private async Task<bool> StoreOutcomeAsync(Env env, ClaimedJob job, JobOutcome outcome)
    {
        switch (outcome)
        {
            case JobOutcome.Done done:
                return (await SettleDoneAsync(env, [(job, done.Result, null)], claim: 0, batch: false, commit: false)).Settled;
            case JobOutcome.Postponed postponed:
                _logger.LogInformation("job {Uuid} on {Channel} postponed by {Seconds} s: {Reason}", job.Uuid, job.Channel, postponed.Seconds, postponed.Reason);
                return await env.ExecuteAsync(SettleStatements.Postpone, job.Id, job.Token, (double)postponed.Seconds, postponed.Reason, postponed.CountsAsTry) > 0;
            case JobOutcome.Failed failed:
                return await env.ExecuteAsync(SettleStatements.SetFailed, job.Id, job.Token, failed.ExceptionName, failed.Message, failed.Details) > 0;
            default:
                throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "Unknown job outcome.");
        }
    }

    /// <summary>
    /// Claims jobs in one autocommitted statement, so they are <c>started</c> for everyone before they run. When the
    /// answer is lost (connection, cancellation), the claim may still have committed: its token is given back by
    /// <see cref="RecoverAsync"/>.
    /// </summary>
    private async Task<List<ClaimedJob>> ClaimAsync(string sql, object selector, CancellationToken cancellationToken)
    {
        var token = Guid.NewGuid();
        var claimed = new List<ClaimedJob>();
        try
        {
            await using var command = _database.CreateJobCommand(sql, Environment.ProcessId, _node.Id, token, selector);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add(ClaimedJob.Read(reader));
            }

            return claimed;
        }
        catch (Exception)
        {
            _lostClaims[token] = DateTime.UtcNow;
            throw;
        }
    }
}
