using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Registers this node in <c>queue_job_node</c> and refreshes its heartbeat (<see cref="NodeOptions"/>); a clean
/// stop removes the row. A node silent for the node timeout is dead for the runner. The row carries the node's channels
/// configuration (<see cref="ChannelConfigurationText"/>, from the host's <see cref="RunnerOptions"/>): the dashboard
/// flags nodes configured otherwise than the active runner, whose configuration is its node's row.
/// </summary>
internal sealed class NodeHeartbeat(Database database, NodeIdentity node, NodeOptions options, ILogger<NodeHeartbeat> logger) : SupervisedLoop(logger)
{
    private const string Beat = """
        INSERT INTO queue_job_node (id, host, pid, channels)
        VALUES ($1, $2, $3, $4)
        ON CONFLICT (id) DO UPDATE SET heartbeat = now(), channels = excluded.channels
        """;

    private readonly string? _channels = database.Services.GetService<RunnerOptions>() is { } runner ? ChannelConfigurationText.Of(runner.Channels) : null;

    protected override string Name => "node heartbeat";

    protected override TimeSpan RunAgainAfter => options.HeartbeatInterval;

    /// <summary>
    /// After an outage the heartbeat comes back within one interval, as the runner does: a longer backoff let the runner
    /// take its own node for dead and rescue the jobs it was running.
    /// </summary>
    protected override TimeSpan LongestBackoff => options.HeartbeatInterval;

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        await using var beat = database.CreateCommand(Beat, node.Id, System.Net.Dns.GetHostName(), Environment.ProcessId, _channels);
        await beat.ExecuteNonQueryAsync(stoppingToken);
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
            // The row then ages out: the runner forgets nodes silent for the node timeout.
            logger.LogWarning(e, "node {Node} could not remove its heartbeat on stop", node.Id);
        }
    }
}
