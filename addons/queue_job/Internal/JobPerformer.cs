using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Npgsql;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Runs one job through its states: claim (<c>enqueued → started</c>, committed), run in a new transaction that
/// also marks it <c>done</c>, or on error roll back and store its outcome in a transaction of its own. Every
/// outcome is written only while the job is still this node's try. An outcome the database could not take (the
/// connection was lost) is kept and written by <see cref="SettleAsync"/> once the database is back, so a restart
/// of PostgreSQL leaves no job <c>started</c> for ever.
/// </summary>
internal sealed class JobPerformer(Database database, NodeIdentity node, JobMetrics metrics, ILogger<JobPerformer> logger)
{
    private readonly ConcurrentQueue<(ClaimedJob Job, JobOutcome Outcome)> _unsettled = new();

    /// <summary>Runs the most urgent enqueued job, if any; false when there was none.</summary>
    public async Task<bool> RunNextAsync(CancellationToken cancellationToken) =>
        await ClaimAsync(JobStatements.ClaimEnqueued, [Environment.ProcessId, node.Id], cancellationToken) is { } job && await PerformAsync(job);

    /// <summary>Writes the outcomes the database could not take earlier; false when it still cannot.</summary>
    public async Task<bool> SettleAsync()
    {
        while (_unsettled.TryPeek(out var entry))
        {
            try
            {
                await StoreOutcomeAsync(entry.Job, entry.Outcome);
            }
            catch (NpgsqlException e)
            {
                logger.LogWarning("{Count} job outcomes still wait for the database: {Error}", _unsettled.Count, e.Message);
                return false;
            }

            _unsettled.TryDequeue(out _);
            logger.LogInformation("job {Uuid} on {Channel}: outcome stored after the database came back", entry.Job.Uuid, entry.Job.Channel);
        }

        return true;
    }

    /// <summary>Runs the named job if it is enqueued (as <c>/queue_job/runjob</c> does); false when it is not.</summary>
    public async Task<bool> RunAsync(string uuid, CancellationToken cancellationToken) =>
        await ClaimAsync(JobStatements.ClaimByUuid, [Environment.ProcessId, node.Id, uuid], cancellationToken) is { } job && await PerformAsync(job);

    private async Task<bool> PerformAsync(ClaimedJob job)
    {
        JobOutcome outcome;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var deadline = new CancellationTokenSource();
        if (job.Timeout is { } timeout)
        {
            deadline.CancelAfter(timeout);
        }

        Env? env = null;
        Task<bool>? run = null;
        try
        {
            env = await database.BeginAsync(job.UserId ?? Env.SuperuserId, job.Context, deadline.Token);
            run = RunAndCommitAsync(env, job);
            if (!await run.WaitAsync(deadline.Token))
            {
                logger.LogWarning("job {Uuid} on {Channel} was requeued while it ran here; its work is rolled back", job.Uuid, job.Channel);
                return true;
            }

            metrics.Record(job.Channel, "done", clock.Elapsed);
            logger.LogInformation("job {Uuid} {Model}.{Method} on {Channel} done in {Seconds:0.000} s", job.Uuid, job.ModelName, job.MethodName, job.Channel, clock.Elapsed.TotalSeconds);
            return true;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The job's transaction is rolled back; its outcome is stored in a transaction of its own.
            var error = deadline.IsCancellationRequested
                ? new JobTimeoutError($"Job {job.Uuid} {job.ModelName}.{job.MethodName} ran longer than its job function's timeout of {job.Timeout!.Value.TotalSeconds} s.")
                : e;
            outcome = JobOutcome.ForError(error, job.Retry, job.MaxRetries, job.RetryPattern, Random.Shared);
            if (outcome is JobOutcome.Failed)
            {
                logger.LogError(error == e ? e : error, "job {Uuid} {Model}.{Method} on {Channel} failed after {Seconds:0.000} s", job.Uuid, job.ModelName, job.MethodName, job.Channel, clock.Elapsed.TotalSeconds);
            }
        }
        finally
        {
            await ReleaseAsync(env, run);
        }

        metrics.Record(job.Channel, outcome switch { JobOutcome.Done => "done", JobOutcome.Postponed => "postponed", _ => "failed" }, clock.Elapsed);
        _unsettled.Enqueue((job, outcome));
        await SettleAsync();
        return true;
    }

    /// <summary>Runs the method and commits its work with the job marked done; false when the job is no longer this try.</summary>
    private async Task<bool> RunAndCommitAsync(Env env, ClaimedJob job)
    {
        var result = await JobInvoker.InvokeAsync(env, job);
        if (await env.ExecuteAsync(JobStatements.SetDone, job.Id, node.Id, job.Retry, result) == 0)
        {
            // Rescued while it ran (this node was taken for dead): its writes are rolled back, the new try counts.
            return false;
        }

        await JobDependencies.ReleaseAsync(env, [job.Id]);
        await env.CommitAsync();
        return true;
    }

    /// <summary>
    /// Rolls back and closes the job's environment; after a timeout, a method that ignored the cancellation keeps
    /// the environment until it returns (it can no longer commit: the environment's token is cancelled).
    /// </summary>
    private static async Task ReleaseAsync(Env? env, Task<bool>? run)
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

        _ = run.ContinueWith(_ => env.DisposeAsync().AsTask(), TaskScheduler.Default).Unwrap();
    }

    private async Task StoreOutcomeAsync(ClaimedJob job, JobOutcome outcome)
    {
        await using var env = await database.BeginAsync();
        switch (outcome)
        {
            case JobOutcome.Done done:
                await env.ExecuteAsync(JobStatements.SetDone, job.Id, node.Id, job.Retry, done.Result);
                await JobDependencies.ReleaseAsync(env, [job.Id]);
                break;
            case JobOutcome.Postponed postponed:
                logger.LogInformation("job {Uuid} on {Channel} postponed by {Seconds} s: {Reason}", job.Uuid, job.Channel, postponed.Seconds, postponed.Reason);
                await env.ExecuteAsync(JobStatements.Postpone, job.Id, node.Id, job.Retry, (double)postponed.Seconds, postponed.Reason, postponed.CountsAsTry);
                break;
            case JobOutcome.Failed failed:
                await env.ExecuteAsync(JobStatements.SetFailed, job.Id, node.Id, job.Retry, failed.ExceptionName, failed.Message, failed.Details);
                break;
        }

        await env.CommitAsync();
    }

    /// <summary>Claims a job in one autocommitted statement, so it is <c>started</c> for everyone before it runs.</summary>
    private async Task<ClaimedJob?> ClaimAsync(string sql, object[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        ClaimedJob? job = null;
        try
        {
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (await reader.ReadAsync(cancellationToken))
            {
                job = new ClaimedJob(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    JsonDocument.Parse(reader.GetString(4)).RootElement, JsonDocument.Parse(reader.GetString(5)).RootElement,
                    reader.IsDBNull(6) ? null : reader.GetInt64(6), reader.GetInt32(7), reader.GetInt32(8),
                    reader.IsDBNull(9) ? RetryPattern.None : RetryPattern.Parse(reader.GetString(9)), reader.GetString(10),
                    reader.IsDBNull(11) ? null : TimeSpan.FromSeconds(reader.GetInt32(11)));
            }
        }
        catch (NpgsqlException) when (job is not null)
        {
            // The claim may or may not have committed: if it did, the job goes back to pending with its try given back.
            _unsettled.Enqueue((job, new JobOutcome.Postponed(0, "claim not confirmed: the database connection was lost", CountsAsTry: false)));
            throw;
        }

        return job;
    }
}
