using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Registers this node in <c>queue_job_node</c> and refreshes its heartbeat every <see cref="Interval"/>; a clean
/// stop removes the row. A node whose heartbeat is older than <see cref="DeadAfter"/> is dead for the runner.
/// </summary>
internal sealed class NodeHeartbeat(Database database, NodeIdentity node, ILogger<NodeHeartbeat> logger) : BackgroundService
{
    /// <summary>How often a node says it is alive.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>Silence after which a node's jobs are requeued: several missed heartbeats.</summary>
    public static readonly TimeSpan DeadAfter = TimeSpan.FromSeconds(30);

    private const string Beat = """
        INSERT INTO queue_job_node (id, host, pid)
        VALUES ($1, $2, $3)
        ON CONFLICT (id) DO UPDATE SET heartbeat = now()
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var env = await database.BeginAsync(cancellationToken: stoppingToken);
                await env.ExecuteAsync(Beat, node.Id, System.Net.Dns.GetHostName(), Environment.ProcessId);
                await env.CommitAsync();
            }
            catch (NpgsqlException e)
            {
                logger.LogWarning(e, "node {Node} could not write its heartbeat", node.Id);
            }

            await Task.Delay(Interval, stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await using var env = await database.BeginAsync(cancellationToken: cancellationToken);
            await env.ExecuteAsync("DELETE FROM queue_job_node WHERE id = $1", node.Id);
            await env.CommitAsync();
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException)
        {
            // The row then ages out: the runner forgets nodes silent for DeadAfter.
            logger.LogWarning(e, "node {Node} could not remove its heartbeat on stop", node.Id);
        }
    }
}
