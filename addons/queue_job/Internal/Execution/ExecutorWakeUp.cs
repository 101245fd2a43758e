using Microsoft.Extensions.Logging;
using Npgsql;
using PluginHost.Sdk;
using PluginHost.Sdk.Advanced;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Lets the executors of every node hear that jobs were enqueued, whichever node runs the runner: LISTENs on
/// <c>queue_job_enqueued</c> (the runner notifies it once per round that enqueued jobs, with how many) and tells
/// this node's executors, which claim with <c>SKIP LOCKED</c> no more than that many. After a quiet minute it checks
/// its connection and wakes the executors anyway.
/// </summary>
internal sealed class ExecutorWakeUp(Database database, HostSettings settings, ExecutorSignal executors, ILogger<ExecutorWakeUp> logger) : SupervisedLoop(logger)
{
    /// <summary>The NOTIFY channel of enqueued jobs.</summary>
    public const string Channel = "queue_job_enqueued";

    private static readonly TimeSpan SafetyWakeUp = TimeSpan.FromSeconds(60);

    protected override string Name => "executors' wake-up";

    /// <summary>Listens until the connection fails or the host stops.</summary>
    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        await using var connection = await database.NpgsqlDataSource().OpenConnectionAsync(stoppingToken);
        connection.Notification += (_, e) => executors.Notify(int.TryParse(e.Payload, out var count) ? count : settings.Workers);
        await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
        {
            await listen.ExecuteNonQueryAsync(stoppingToken);
        }

        // Jobs enqueued before this node listened are claimed too.
        Healthy();
        executors.Notify(settings.Workers);
        while (!stoppingToken.IsCancellationRequested)
        {
            // A quiet minute: check that the connection is alive (a dead one throws and reconnects), and
            // wake the executors anyway, as the runner's safety wake-up does.
            if (!await connection.WaitAsync(SafetyWakeUp, stoppingToken))
            {
                await using var ping = new NpgsqlCommand("SELECT 1", connection);
                await ping.ExecuteNonQueryAsync(stoppingToken);
                executors.Notify(settings.Workers);
            }
        }
    }
}
