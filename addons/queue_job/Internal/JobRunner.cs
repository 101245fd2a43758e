using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using PluginHost.Addons.QueueJob.Internal.Channels;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The job runner of one database: one active per database (a session advisory lock elects it; other nodes
/// stand by), woken by <c>NOTIFY queue_job</c> on a dedicated connection, by the next eta or throttle end, and
/// every few seconds to rescue the jobs of nodes that stopped heartbeating. Writers notify only while it sleeps:
/// before sleeping it takes the sleep lock (<c>queue_job_wake_runner()</c> in 0005_claim_settle.sql) and looks once
/// more, so what was committed before is seen and what is committed after wakes it. Each round reads a small snapshot (running jobs per channel, the first pending jobs of
/// each channel), lets the <see cref="ChannelManager"/> choose within the capacities, and enqueues the chosen jobs
/// in one statement.
/// </summary>
internal sealed class JobRunner(Database database, RunnerOptions options, NodeOptions nodes, NodeIdentity node, ExecutorSignal executors, ILogger<JobRunner> logger)
    : BackgroundService
{
    /// <summary>The advisory lock key upstream's runner uses, so an Odoo runner and ours never both run on one database.</summary>
    private const long RunnerLockKey = 2293787760715711918;

    /// <summary>Held in exclusive mode while the runner sleeps; writers that cannot share it notify.</summary>
    private const long SleepLockKey = 2293787760715711919;

    /// <summary>How long the runner waits for writers in flight before it sleeps; past it, it looks again.</summary>
    private const string SleepLockTimeout = "2s";

    /// <summary>The active runner's connection is named this, followed by its node's id.</summary>
    public const string ApplicationName = "queue_job runner ";

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>An enqueued job no executor claimed for this long goes back to pending.</summary>
    private static readonly TimeSpan EnqueuedTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How often the active runner purges expired done and cancelled jobs, as upstream's daily cron but finer.</summary>
    private static readonly TimeSpan VacuumInterval = TimeSpan.FromHours(1);

    private readonly ChannelManager _channels = new(options.Channels);
    private DateTime _nextRescue = DateTime.MinValue;
    private DateTime _nextVacuum = DateTime.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("starting");
        foreach (var channel in _channels.Channels.OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            logger.LogInformation("Configured channel: {Channel}(C:{Capacity}{Options})", channel.Name,
                channel.Unlimited ? "∞" : channel.Capacity, (channel.Sequential ? ",sequential" : "") + (channel.ThrottleSeconds > 0 ? $",throttle={channel.ThrottleSeconds}" : ""));
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunConnectedAsync(stoppingToken);
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException && !stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "job runner lost its connection to db {Database}; reconnecting in {Delay}", database.Name, RetryDelay);
            }

            await Task.Delay(RetryDelay, stoppingToken);
        }
    }

    private async Task RunConnectedAsync(CancellationToken stoppingToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(stoppingToken);
        if (!await ScalarAsync<bool>(connection, "SELECT pg_try_advisory_lock($1)", RunnerLockKey))
        {
            logger.LogInformation("another job runner is active for db {Database}; standing by", database.Name);
            return;
        }

        // Operators (and tests) see which node is the active runner in pg_stat_activity; PostgreSQL keeps 63 bytes.
        await ScalarAsync<object>(connection, "SELECT set_config('application_name', $1, false)", $"{ApplicationName}{node.Id}");
        var woken = false;
        connection.Notification += (_, _) => woken = true;
        await ScalarAsync<object>(connection, "LISTEN queue_job");
        logger.LogInformation("queue job runner ready for db {Database}", database.Name);
        var sleeping = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            // A notification that arrives while these statements run sets the flag: loop again instead of waiting.
            woken = false;
            var wait = await RunRoundAsync(connection, giveBackSleepLock: sleeping, stoppingToken);
            sleeping = false;
            if (woken || wait == TimeSpan.Zero || !await TakeSleepLockAsync(connection, stoppingToken))
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

    /// <summary>Takes the sleep lock once the writers holding it in shared mode commit; false after <see cref="SleepLockTimeout"/>.</summary>
    private async Task<bool> TakeSleepLockAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
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
        var (now, snapshot, waiting) = await ChannelSnapshotReader.ReadAsync(connection, _channels, options.RootCapacity, cancellationToken,
            giveBackSleepLock ? $"SELECT pg_advisory_unlock({SleepLockKey})" : null);
        var chosen = _channels.Select(snapshot, now);
        if (chosen.Count > 0)
        {
            // Executors of every node hear of them through NOTIFY queue_job_enqueued.
            var enqueued = await ScalarAsync<int>(connection, JobStatements.EnqueueChosen, chosen.Select(j => j.Id).ToArray());
            logger.LogDebug("enqueued {Count} jobs", enqueued);
        }

        // Jobs already waiting for an executor (left by a previous runner, or not claimed yet) wake this node's.
        executors.Notify(waiting);
        if (now >= _nextRescue)
        {
            await RescueAsync(connection);
            _nextRescue = now + nodes.RescueInterval;
        }

        if (now >= _nextVacuum)
        {
            _nextVacuum = now + VacuumInterval;
            var removed = await JobVacuum.RunAsync(database, cancellationToken);
            logger.LogInformation("vacuum removed {Count} done or cancelled jobs past their channel's retention", removed);
        }

        var wakeUp = _channels.WakeUp(snapshot, now);
        var wait = (wakeUp is { } at && at < _nextRescue ? at : _nextRescue) - now;
        return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait;
    }

    private async Task RescueAsync(NpgsqlConnection connection)
    {
        var rescued = await ScalarAsync<long>(connection, JobStatements.RescueJobs, nodes.DeadAfter.TotalSeconds, EnqueuedTimeout.TotalSeconds);
        if (rescued > 0)
        {
            logger.LogWarning("requeued {Count} jobs of stopped nodes or never claimed", rescued);
        }
    }

    private static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }
}
