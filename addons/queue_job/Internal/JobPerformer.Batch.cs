using System.Diagnostics;
using Microsoft.Extensions.Logging;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Batched completion (a channel's <c>batch=N</c>): up to N jobs run one after the other in one transaction, each in a
/// savepoint, and their <c>done</c> commit together: one commit instead of N. A job that raises is rolled back to its
/// savepoint and its outcome written in the same transaction; a crash, or a commit that fails, runs the whole batch
/// again (its first job's try counted, the others' not).
/// </summary>
internal sealed partial class JobPerformer
{
    private const string Savepoint = "queue_job_batch";

    /// <summary>What renews the savepoint between two jobs of a batch, in the settle's round trip.</summary>
    private static readonly string[] NextSavepoint = [$"RELEASE SAVEPOINT {Savepoint}", $"SAVEPOINT {Savepoint}"];

    /// <summary>Runs <paramref name="first"/> and the jobs its batch claims; returns the job claimed for after the batch, if any.</summary>
    private async Task<ClaimedJob?> PerformBatchAsync(ClaimedJob first, int size, CancellationToken stopClaiming)
    {
        var clock = Stopwatch.StartNew();
        var done = new List<(ClaimedJob Job, TimeSpan Took)>();
        var ran = new List<ClaimedJob>();
        ClaimedJob? next = null;
        var env = await _database.BeginAsync();
        try
        {
            await env.ExecuteAsync($"SAVEPOINT {Savepoint}");
            for (var job = first; ; job = next!)
            {
                _running[job.Id] = (job, env.Connection.ProcessID);
                ran.Add(job);
                var started = clock.Elapsed;
                var (finished, claimed) = await RunInBatchAsync(env, job, stopClaiming);
                if (!finished)
                {
                    break;
                }

                done.Add((job, clock.Elapsed - started));
                next = claimed;
                if (next is null || done.Count >= size || next.Timeout is not null || _channels.BatchSize(next.Channel) <= 1)
                {
                    break;
                }
            }

            await env.CommitAsync();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Rolled back: the jobs this batch claimed are as they were; its first job's claim was committed before.
            if (next is not null)
            {
                _lostClaims[next.Token] = DateTime.UtcNow;
            }

            _logger.LogWarning(e, "a batch of {Count} jobs on {Channel} was rolled back; its jobs run again", done.Count + 1, first.Channel);
            _unsettled[first.Id] = (first, JobOutcome.ForError(e, first.Retry, first.MaxRetries, first.RetryPattern, Random.Shared));
            await RecoverAsync();
            return null;
        }
        finally
        {
            foreach (var job in ran)
            {
                _running.TryRemove(job.Id, out _);
            }

            await env.DisposeAsync();
        }

        foreach (var (job, took) in done)
        {
            RecordCommitted(job, done: true, took);
        }

        return next;
    }

    /// <summary>
    /// Runs one job of a batch in the savepoint: done (and the next job claimed) when it returns; its outcome written
    /// and nothing claimed when it raises (Ran is then false).
    /// </summary>
    private async Task<(bool Ran, ClaimedJob? Next)> RunInBatchAsync(Env env, ClaimedJob job, CancellationToken stopClaiming)
    {
        string? result;
        var clock = Stopwatch.StartNew();
        try
        {
            result = await JobInvoker.InvokeAsync(env.WithUser(job.UserId ?? Env.SuperuserId).WithContext(job.Context), job);
        }
        catch (Exception e) when (e is not OutOfMemoryException && !JobOutcome.IsConnectionLoss(e))
        {
            await env.ExecuteAsync($"ROLLBACK TO SAVEPOINT {Savepoint}");
            var outcome = JobOutcome.ForError(e, job.Retry, job.MaxRetries, job.RetryPattern, Random.Shared);
            if (outcome is JobOutcome.Failed)
            {
                _logger.LogError(e, "job {Uuid} {Model}.{Method} on {Channel} failed after {Seconds:0.000} s", job.Uuid, job.ModelName, job.MethodName, job.Channel, clock.Elapsed.TotalSeconds);
            }

            _metrics.Record(job.Channel, outcome switch { JobOutcome.Done => "done", JobOutcome.Postponed => "postponed", _ => "failed" }, clock.Elapsed);
            await StoreOutcomeAsync(env, job, outcome);
            return (false, null);
        }

        var (settled, next) = await SettleDoneAsync(env, job, result, claimNext: !stopClaiming.IsCancellationRequested, then: NextSavepoint);
        return settled
            ? (true, next)
            : throw new InvalidOperationException($"Job {job.Uuid} was taken from this node while its batch ran; the batch is rolled back.");
    }
}
