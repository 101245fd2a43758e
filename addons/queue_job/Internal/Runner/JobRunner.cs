using System.Data;
using Microsoft.Extensions.Logging;
using Npgsql;
using PluginHost.Addons.QueueJob.Internal.Channels;
using PluginHost.Sdk;
using PluginHost.Sdk.Advanced;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The job runner of one database: one active per database (<see cref="RunnerLeadership"/>: an advisory lock and a
/// lease; other nodes stand by), woken by <c>NOTIFY queue_job</c> on a dedicated connection, by the next eta or
/// throttle end, and every few seconds to renew its lease and rescue the jobs of nodes that stopped heartbeating.
/// Writers notify only while it sleeps: before sleeping it takes the sleep lock (<c>queue_job_wake_runner()</c> in
/// 0005_claim_settle.sql) and looks once more, so what was committed before is seen and what is committed after wakes
/// it. Each round reads a small snapshot (running jobs per channel, the first pending jobs of each channel), lets the
/// <see cref="ChannelManager"/> choose within the capacities, and enqueues the chosen jobs in one statement.
/// </summary>
internal sealed class JobRunner(Database database, RunnerOptions options, NodeOptions nodes, NodeIdentity node, ExecutorSignal executors,
    JobFailureNotifier failures, ILogger<JobRunner> logger)
    : SupervisedLoop(logger)
{
    /// <summary>Held in exclusive mode while the runner sleeps; writers that cannot share it notify.</summary>
    private const long SleepLockKey = 2293787760715711919;

    /// <summary>How long the runner waits for writers in flight before it sleeps; past it, it looks again.</summary>
    private const string SleepLockTimeout = "2s";

    /// <summary>The active runner's connection is named this, followed by its node's id.</summary>
    public const string ApplicationName = "queue_job runner ";

    /// <summary>An enqueued job no executor claimed for this long goes back to pending.</summary>
    private static readonly TimeSpan EnqueuedTimeout = TimeSpan.FromSeconds(60);

    private readonly ChannelManager _channels = new(options.Channels);
    private DateTime _nextRescue = DateTime.MinValue;

    /// <summary>The database's time at the last round's snapshot.</summary>
    private DateTime _lastLook;

    protected override string Name => "job runner";

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        logger.LogInformation("starting");
        foreach (var channel in _channels.Channels.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            logger.LogInformation("Configured channel: {Channel}(C:{Capacity}{Options})", channel.Name,
                channel.Unlimited ? "∞" : channel.Capacity, (channel.Sequential ? ",sequential" : "") + (channel.ThrottleSeconds > 0 ? $",throttle={channel.ThrottleSeconds}" : "")
                + (channel.Batch > 1 ? $",batch={channel.Batch}" : ""));
        }

        return base.StartAsync(cancellationToken);
    }

    /// <summary>Leads until the connection fails or the host stops; returns at once when another runner leads.</summary>
    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        await using var connection = await database.NpgsqlDataSource().OpenConnectionAsync(stoppingToken);
        if (!await RunnerLeadership.TryLeadAsync(connection, node.Id, nodes.DeadAfter, stoppingToken))
        {
            logger.LogDebug("another job runner is active for db {Database}; standing by", database.Name);
            return;
        }

        _nextRescue = DateTime.MinValue;
        try
        {
            await RunConnectedAsync(connection, stoppingToken);
        }
        finally
        {
            // The connection goes back to the pool: it must not keep the runner's locks until its next use.
            await GiveUpLocksAsync(connection);
        }
    }

    private async Task GiveUpLocksAsync(NpgsqlConnection connection)
    {
        try
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock_all()", connection);
            await unlock.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // A broken connection: its session, and its locks, are gone with it.
            logger.LogDebug(e, "the runner's connection could not give its locks back");
        }
    }

    private async Task RunConnectedAsync(NpgsqlConnection connection, CancellationToken stoppingToken)
    {
        // Operators (and tests) see which node is the active runner in pg_stat_activity; PostgreSQL keeps 63 bytes.
        await ScalarAsync<object>(connection, "SELECT set_config('application_name', $1, false)", $"{ApplicationName}{node.Id}");
        var woken = false;
        connection.Notification += (_, _) => woken = true;
        await ScalarAsync<object>(connection, "LISTEN queue_job");
        logger.LogInformation("queue job runner ready for db {Database}", database.Name);
        Healthy();
        var sleeping = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            // A notification that arrives while these statements run sets the flag: loop again instead of waiting.
            woken = false;
            var wait = await RunRoundAsync(connection, giveBackSleepLock: sleeping, stoppingToken);
            sleeping = false;
            if (woken || wait == TimeSpan.Zero || !await TakeSleepLockAsync(connection, _lastLook + wait, stoppingToken))
            {
                continue;
            }

            // Writers in flight have committed: this look sees their jobs; later writers notify.
            sleeping = true;
            wait = await RunRoundAsync(connection, giveBackSleepLock: false, stoppingToken);
            if (!woken && wait > TimeSpan.Zero)
            {
                await connection.WaitAsync(wait, stoppingToken);
            }
        }
    }

    /// <summary>
    /// Says when the runner wakes up anyway (<paramref name="wakeUp"/>, the database's clock), then takes the sleep lock
    /// once the writers holding it in shared mode commit; false after <see cref="SleepLockTimeout"/>.
    /// </summary>
    private async Task<bool> TakeSleepLockAsync(NpgsqlConnection connection, DateTime wakeUp, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT setval('queue_job_runner_wakeup', $1)")
                {
                    Parameters = { new() { Value = new DateTimeOffset(wakeUp).ToUnixTimeMilliseconds() } },
                },
                new NpgsqlBatchCommand($"SELECT set_config('lock_timeout', '{SleepLockTimeout}', true)"),
                new NpgsqlBatchCommand($"SELECT pg_advisory_lock({SleepLockKey})"),
            },
        };
        try
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.LockNotAvailable)
        {
            logger.LogDebug("writers held the runner's sleep lock for {Timeout}; looking again", SleepLockTimeout);
            return false;
        }
    }

    /// <summary>
    /// One decision: enqueue what may start, wake executors, and say how long to wait (zero: go again now). One
    /// round trip reads the snapshot, one more enqueues when there is something to enqueue.
    /// </summary>
    private async Task<TimeSpan> RunRoundAsync(NpgsqlConnection connection, bool giveBackSleepLock, CancellationToken cancellationToken)
    {
        // The database's clock decides, so etas written by any node compare the same way.
        var (now, snapshot, waiting) = await ChannelSnapshotReader.ReadAsync(connection, _channels, options.PerChannelRead, cancellationToken,
            giveBackSleepLock ? $"SELECT pg_advisory_unlock({SleepLockKey})" : null);
        _lastLook = now;
        var chosen = _channels.Select(snapshot, now, options.EnqueueBudget(waiting));
        if (chosen.Count > 0)
        {
            // Executors of every node hear of them through NOTIFY queue_job_enqueued.
            var enqueued = await ScalarAsync<int>(connection, RunnerStatements.EnqueueChosen, chosen.Select(j => j.Id).ToArray());
            logger.LogDebug("enqueued {Count} jobs", enqueued);
        }

        // Jobs already waiting for an executor (left by a previous runner, or not claimed yet) wake this node's.
        executors.Notify(waiting);
        if (now >= _nextRescue)
        {
            await RenewAndRescueAsync(connection, cancellationToken);
            _nextRescue = now + nodes.RescueInterval;
        }

        var wakeUp = _channels.WakeUp(snapshot, now);
        var wait = (wakeUp is { } at && at < _nextRescue ? at : _nextRescue) - now;
        return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait;
    }

    /// <summary>
    /// The runner's periodic work, from its own loop so a stuck loop stops it too: renews its lease, cuts off the nodes
    /// taken for dead, then rescues their jobs (and enqueued jobs no executor claimed).
    /// </summary>
    private async Task RenewAndRescueAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (await ScalarAsync<int>(connection, RunnerLeadership.RenewLease) == 0)
        {
            throw new InvalidOperationException($"The job runner of db {database.Name} lost its lease; leading again from the start.");
        }

        var terminated = await ScalarAsync<long>(connection, RunnerStatements.TerminateDeadNodes, nodes.DeadAfter.TotalSeconds, node.Id);
        if (terminated > 0)
        {
            logger.LogWarning("terminated {Count} database sessions of nodes taken for dead", terminated);
        }

        var (rescued, failed) = await RescueAsync(connection);
        if (rescued > 0)
        {
            logger.LogWarning("requeued {Count} jobs of stopped nodes or never claimed", rescued);
        }

        // Committed (the statement autocommits): the failure handlers hear of the jobs that ended on their last try.
        foreach (var failure in failed)
        {
            await failures.NotifyAsync(failure);
        }
    }

    /// <summary>Rescues the jobs of dead nodes and forgotten enqueued jobs: how many, and the jobs failed on their last try.</summary>
    private async Task<(long Rescued, List<JobFailedContext> Failed)> RescueAsync(NpgsqlConnection connection)
    {
        await using var command = new NpgsqlCommand(RunnerStatements.RescueJobs, connection)
        {
            Parameters = { new() { Value = nodes.DeadAfter.TotalSeconds }, new() { Value = EnqueuedTimeout.TotalSeconds }, new() { Value = node.Id } },
        };
        await using var reader = await command.ExecuteReaderAsync(CancellationToken.None);
        long rescued = 0;
        var failed = new List<JobFailedContext>();
        while (await reader.ReadAsync(CancellationToken.None))
        {
            rescued = reader.GetFieldValue<long>("rescued");
            if (!reader.IsDBNull("uuid"))
            {
                failed.Add(JobFailureNotifier.Describe(database, reader));
            }
        }

        return (rescued, failed);
    }

    /// <summary>Runs a statement on the runner's own connection and returns its first value (default when none).</summary>
    internal static Task<T?> ScalarAsync<T>(NpgsqlConnection connection, string sql, params object[] parameters) =>
        ScalarAsync<T>(connection, sql, CancellationToken.None, parameters);

    /// <summary>The same, cancelled with <paramref name="cancellationToken"/> (the leadership statements).</summary>
    internal static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var value = await command.ExecuteScalarAsync(cancellationToken);
        return value is null or DBNull ? default : (T)value;
    }
}
