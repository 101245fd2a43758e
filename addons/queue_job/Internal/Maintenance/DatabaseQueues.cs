using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Runs a <see cref="DatabaseQueue"/> for every database this node serves where queue_job is installed: the host's
/// own from the start, and with <c>--db-filter</c> every other, looked for every <see cref="ScanInterval"/>, so a
/// database where queue_job gets installed while the host runs is picked up without a restart (and one dropped,
/// or where queue_job was uninstalled, is let go). Failures to list or look at databases are logged as
/// <see cref="FailureSeries"/>: an outage is a warning when it begins and once a minute while it lasts.
/// </summary>
internal sealed class DatabaseQueues(IServedDatabases databases, JobPerformers performers, Func<Database, JobPerformer, DatabaseQueue> createQueue,
    RunnerOptions runner, RelatedActions relatedActions, ILogger<DatabaseQueues> logger) : BackgroundService
{
    /// <summary>How often the served databases are listed and checked (without <c>--db-filter</c>, the host's own alone).</summary>
    public static readonly TimeSpan ScanInterval = TimeSpan.FromSeconds(5);

    private const string QueueJobState = "SELECT state FROM ir_module_module WHERE name = 'queue_job'";

    private readonly Dictionary<string, DatabaseQueue> _queues = new(StringComparer.Ordinal);
    /// <summary>Why each database left alone is, as last logged (logged again only when it changes).</summary>
    private readonly Dictionary<string, string> _refused = new(StringComparer.Ordinal);
    private readonly FailureSeries _listFailures = new(logger, "listing the databases to serve");

    /// <summary>Failures to look at a database, by name, for the databases listed last.</summary>
    private readonly Dictionary<string, FailureSeries> _lookFailures = new(StringComparer.Ordinal);

    /// <summary>The queues running now, by database name.</summary>
    public IReadOnlyDictionary<string, DatabaseQueue> Queues
    {
        get
        {
            lock (_queues)
            {
                return new Dictionary<string, DatabaseQueue>(_queues);
            }
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var warning in runner.Warnings)
        {
            logger.LogWarning("{Warning}", warning);
        }

        await using (var env = await databases.Primary.BeginAsync())
        {
            foreach (var (function, action) in await relatedActions.UnregisteredAsync(env))
            {
                logger.LogWarning("job function {Function}: its related action '{Action}' is registered by no loaded addon (known: {Known}); opening it answers 404",
                    function, action, string.Join(", ", relatedActions.Names));
            }
        }

        // The host's own database has queue_job installed (it is server-wide): its queue is up when the host is.
        await StartQueueAsync(databases.Primary);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await ScanAsync(stoppingToken);
                _listFailures.Succeeded();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                _listFailures.Failed(e, $"trying again in {ScanInterval}", DateTime.UtcNow);
            }

            await Task.Delay(ScanInterval, stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await Task.WhenAll(Queues.Values.Select(q => q.StopAsync(cancellationToken)));
        lock (_queues)
        {
            _queues.Clear();
        }
    }

    /// <summary>
    /// Lets go of the databases gone or no longer fit to serve (the host's own included: another node of a rolling
    /// upgrade may have migrated it since), then starts the queues of those listed that are fit and not served yet.
    /// </summary>
    private async Task ScanAsync(CancellationToken cancellationToken)
    {
        var names = (await databases.ListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in _lookFailures.Keys.Where(n => !names.Contains(n)).ToList())
        {
            _lookFailures.Remove(gone);
        }

        foreach (var (name, queue) in Queues)
        {
            if (!names.Contains(name) || !await ServesJobsOrKeepsAsync(queue.Database, cancellationToken))
            {
                logger.LogInformation("db {Database} is gone, has queue_job uninstalled or does not fit this node's code; its jobs are no longer run here", name);
                performers.Close(name);
                await queue.StopAsync(cancellationToken);
                lock (_queues)
                {
                    _queues.Remove(name);
                }
            }
        }

        foreach (var name in names.Where(n => !Queues.ContainsKey(n)))
        {
            // One database this node cannot read (no CONNECT right, dropped meanwhile) does not hold up the others.
            try
            {
                if (databases.Open(name) is { } database && await ServesJobsAsync(database, cancellationToken))
                {
                    await StartQueueAsync(database);
                }

                LookFailures(name).Succeeded();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LookFailures(name).Failed(e, $"trying again in {ScanInterval}", DateTime.UtcNow);
            }
        }
    }

    /// <summary>Whether a served database still qualifies; one that cannot be looked at right now is kept.</summary>
    private async Task<bool> ServesJobsOrKeepsAsync(Database database, CancellationToken cancellationToken)
    {
        try
        {
            var serves = await ServesJobsAsync(database, cancellationToken);
            LookFailures(database.Name).Succeeded();
            return serves;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LookFailures(database.Name).Failed(e, "its queue keeps running", DateTime.UtcNow);
            return true;
        }
    }

    private FailureSeries LookFailures(string name)
    {
        if (!_lookFailures.TryGetValue(name, out var series))
        {
            series = new FailureSeries(logger, $"looking at db {name}");
            _lookFailures.Add(name, series);
        }

        return series;
    }

    /// <summary>
    /// True when queue_job is installed in the database and this node's code fits it (<see cref="IServedDatabases.MismatchAsync"/>):
    /// otherwise its jobs could call code this node does not have, or run against a schema it does not know, and are
    /// left to nodes that fit, with a warning naming why (again when the reason changes).
    /// </summary>
    private async Task<bool> ServesJobsAsync(Database database, CancellationToken cancellationToken)
    {
        try
        {
            await using (var state = database.CreateCommand(QueueJobState))
            {
                if (await state.ExecuteScalarAsync(cancellationToken) as string != "installed")
                {
                    return false;
                }
            }

            if (await databases.MismatchAsync(database, cancellationToken) is not { } mismatch)
            {
                return true;
            }

            if (!_refused.TryGetValue(database.Name, out var logged) || logged != mismatch)
            {
                _refused[database.Name] = mismatch;
                logger.LogWarning("db {Database} is left alone by this node, none of its jobs is run here: {Reason}", database.Name, mismatch);
            }

            return false;
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.InvalidCatalogName)
        {
            // Not a PluginHost database, or dropped since it was listed.
            return false;
        }
    }

    private async Task StartQueueAsync(Database database)
    {
        _refused.Remove(database.Name);
        var queue = createQueue(database, performers.Open(database));
        await queue.StartAsync();
        lock (_queues)
        {
            _queues.Add(database.Name, queue);
        }

        logger.LogInformation("running the jobs of db {Database}", database.Name);
    }
}
