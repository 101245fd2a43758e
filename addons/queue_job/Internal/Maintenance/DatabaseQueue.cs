using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The queue services of one database on this node: its job counts for <c>/metrics</c>, its heartbeat, the executors' wake-up listener, the executors,
/// the purge of expired jobs and the runner (a candidate for the database's advisory lock) unless this node's root capacity is 0.
/// </summary>
internal sealed class DatabaseQueue
{
    private readonly List<BackgroundService> _services;
    private readonly ILogger _logger;

    public DatabaseQueue(Database database, RunnerOptions runner, NodeOptions nodes, NodeIdentity node, HostSettings settings, WorkerSlots slots,
        JobPerformer performer, JobMetrics metrics, JobFailureNotifier failures, ILoggerFactory loggers)
    {
        Database = database;
        _logger = loggers.CreateLogger<DatabaseQueue>();
        var signal = new ExecutorSignal();
        _services =
        [
            new JobCountsRefresh(database, metrics, loggers.CreateLogger<JobCountsRefresh>()),
            new NodeHeartbeat(database, node, nodes, loggers.CreateLogger<NodeHeartbeat>()),
            new ExecutorWakeUp(database, settings, signal, loggers.CreateLogger<ExecutorWakeUp>()),
            new JobExecutor(signal, performer, slots, loggers.CreateLogger<JobExecutor>()),
        ];
        if (runner.Enabled)
        {
            _services.Add(new JobPurge(database, loggers.CreateLogger<JobPurge>()));
            _services.Add(new JobRunner(database, runner, nodes, node, signal, failures, loggers.CreateLogger<JobRunner>()));
        }
    }

    public Database Database { get; }

    /// <summary>True when this node may become the database's runner.</summary>
    public bool HasRunner => _services.OfType<JobRunner>().Any();

    /// <summary>
    /// Starts the services; their log lines name this database. They run until <see cref="StopAsync"/> (no start
    /// token: it would cancel them all at once instead of in stop order).
    /// </summary>
    public async Task StartAsync()
    {
        using var scope = _logger.BeginScope(new Dictionary<string, object?> { ["db"] = Database.Name });
        foreach (var service in _services)
        {
            await service.StartAsync(CancellationToken.None);
        }
    }

    /// <summary>Stops the runner, then the executors (running jobs may finish until <paramref name="cancellationToken"/>), then the rest.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        for (var i = _services.Count - 1; i >= 0; i--)
        {
            await _services[i].StopAsync(cancellationToken);
            _services[i].Dispose();
        }
    }
}
