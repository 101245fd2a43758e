using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PluginHost.Addons.QueueJob;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Addons.QueueJob.Internal.Channels;
using PluginHost.Host.Addons;
using PluginHost.Testing.Internal;

namespace PluginHost.Testing;

/// <summary>Running stored jobs on demand through queue_job's executor: the path a runner's job takes, minus the wait.</summary>
public sealed partial class AddonTestHost
{
    /// <summary>How many runs <see cref="RunJobToEndAsync(string, int, CancellationToken)"/> allows when not told.</summary>
    public const int DefaultMaxRuns = 100;

    private JobPerformer? _performer;

    /// <summary>
    /// Runs the job now, whatever its eta, through the real executor: a new try in its own transaction, committed with
    /// the job done, or rolled back with the outcome stored (a retryable error leaves it pending with an eta, any other
    /// error fails it). The job must be committed, and pending or enqueued.
    /// </summary>
    public Task<JobRun> RunJobAsync(DelayedJob job, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return RunJobAsync(job.Uuid, cancellationToken);
    }

    /// <summary>Runs the job of this uuid now, as <see cref="RunJobAsync(DelayedJob, CancellationToken)"/> does.</summary>
    public async Task<JobRun> RunJobAsync(string uuid, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uuid);
        var before = await ReadJobAsync(uuid, cancellationToken);
        if (before.State is not (JobState.Pending or JobState.Enqueued))
        {
            throw new InvalidOperationException($"Cannot run {before}: only a pending or enqueued job runs" +
                (before.State == JobState.WaitDependencies ? "; run the jobs it depends on first." : "."));
        }

        await using (var enqueue = Database.CreateCommand(JobStatements.Enqueue, uuid))
        {
            await enqueue.ExecuteNonQueryAsync(cancellationToken);
        }

        if (!await Performer().RunAsync(uuid, cancellationToken))
        {
            throw new InvalidOperationException($"Job {uuid} was taken by another executor before this test could run it.");
        }

        return await ReadJobAsync(uuid, cancellationToken);
    }

    /// <summary>Runs the job again and again, ignoring etas, until it is done, failed or cancelled; at most <paramref name="maxRuns"/> times.</summary>
    public Task<JobRun> RunJobToEndAsync(DelayedJob job, int maxRuns = DefaultMaxRuns, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(job);
        return RunJobToEndAsync(job.Uuid, maxRuns, cancellationToken);
    }

    /// <summary>Runs the job of this uuid to its end, as <see cref="RunJobToEndAsync(DelayedJob, int, CancellationToken)"/> does.</summary>
    public async Task<JobRun> RunJobToEndAsync(string uuid, int maxRuns = DefaultMaxRuns, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRuns, 1);
        for (var runs = 1; ; runs++)
        {
            var run = await RunJobAsync(uuid, cancellationToken);
            if (run.IsEnded)
            {
                return run;
            }

            if (runs == maxRuns)
            {
                throw new InvalidOperationException($"After {maxRuns} runs, {run}; it may retry for ever (max_retries 0): give a larger maxRuns or a max_retries.");
            }
        }
    }

    /// <summary>Reads the job as it is stored now; a job that does not exist (or is not committed) is an error naming it.</summary>
    public async Task<JobRun> ReadJobAsync(string uuid, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(uuid);
        await using var command = Database.CreateCommand(JobStatements.Read, uuid);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"No job {uuid} in {DatabaseName}: was the transaction that delayed it committed?");
        }

        return new JobRun(
            reader.GetString(reader.GetOrdinal("uuid")),
            reader.GetString(reader.GetOrdinal("func_string")),
            reader.GetString(reader.GetOrdinal("state")),
            Text(reader, "result"),
            Text(reader, "exc_name"),
            Text(reader, "exc_message"),
            Text(reader, "exc_info"),
            reader.GetInt32(reader.GetOrdinal("retry")),
            reader.GetInt32(reader.GetOrdinal("max_retries")),
            reader.IsDBNull(reader.GetOrdinal("eta")) ? null : reader.GetFieldValue<DateTimeOffset>(reader.GetOrdinal("eta")));
    }

    private static string? Text(DbDataReader reader, string column) =>
        reader.IsDBNull(reader.GetOrdinal(column)) ? null : reader.GetString(reader.GetOrdinal(column));

    /// <summary>The executor of this host: queue_job's, with one root channel and no runner to hand slots to.</summary>
    private JobPerformer Performer()
    {
        if (_performer is not null)
        {
            return _performer;
        }

        if (_host.Addons.All(a => a.Name != AddonCatalog.JobDeclarationsAddon))
        {
            throw new InvalidOperationException($"queue_job is not installed in {DatabaseName}: install an addon that depends on it to run jobs.");
        }

        return _performer = new JobPerformer(Database, Services.GetRequiredService<NodeIdentity>(),
            new RunnerOptions([new ChannelSpec("root", 1)], Enabled: false, Warnings: []), Services.GetRequiredService<JobMetrics>(),
            _logging.CreateLogger<JobPerformer>(), Services.GetRequiredService<JobFailureNotifier>());
    }
}
