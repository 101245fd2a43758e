using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The job runner of one database: one active per database (a session advisory lock elects it; other nodes
/// stand by), woken by <c>NOTIFY queue_job</c> on a dedicated connection, by the earliest future eta, and
/// every 60 s for safety. Each wake-up enqueues the runnable jobs the capacity allows in one statement.
/// </summary>
internal sealed class JobRunner(Database database, RunnerOptions options, ExecutorSignal executors, ILogger<JobRunner> logger)
    : BackgroundService
{
    /// <summary>The advisory lock key upstream's runner uses, so an Odoo runner and ours never both run on one database.</summary>
    private const long RunnerLockKey = 2293787760715711918;

    private static readonly TimeSpan SafetyWakeUp = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        logger.LogInformation("starting");
        logger.LogInformation("Configured channel: root(C:{Capacity})", options.RootCapacity);
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

        var woken = false;
        connection.Notification += (_, _) => woken = true;
        await ScalarAsync<object>(connection, "LISTEN queue_job");
        logger.LogInformation("queue job runner ready for db {Database}", database.Name);
        while (!stoppingToken.IsCancellationRequested)
        {
            // A notification that arrives while these statements run sets the flag: loop again instead of waiting.
            woken = false;
            await EnqueueRunnableAsync(connection, stoppingToken);
            // Every enqueued job, also those left by a previous runner, wakes an executor.
            executors.Notify((int)(await ScalarAsync<long>(connection, JobStatements.CountEnqueued)));
            var wait = await UntilNextEtaAsync(connection);
            if (!woken && wait > TimeSpan.Zero)
            {
                await connection.WaitAsync(wait, stoppingToken);
            }
        }
    }

    private async Task EnqueueRunnableAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(JobStatements.EnqueueRunnable, connection) { Parameters = { new() { Value = options.RootCapacity } } };
        var count = await command.ExecuteNonQueryAsync(cancellationToken);
        if (count > 0)
        {
            logger.LogDebug("enqueued {Count} jobs", count);
        }
    }

    /// <summary>
    /// Time until the earliest future eta by the database's clock (at least 1 ms: Npgsql waits forever on 0), or the
    /// safety wake-up; zero when an eta has already passed, to loop at once.
    /// </summary>
    private static async Task<TimeSpan> UntilNextEtaAsync(NpgsqlConnection connection)
    {
        var seconds = await ScalarAsync<double?>(connection, JobStatements.SecondsToNextEta);
        if (seconds is null)
        {
            return SafetyWakeUp;
        }

        var wait = TimeSpan.FromSeconds(seconds.Value);
        return wait <= TimeSpan.Zero ? TimeSpan.Zero : wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait > SafetyWakeUp ? SafetyWakeUp : wait;
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
