using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// One <see cref="JobPerformer"/> per database whose jobs this node runs, shared by its executors and
/// <c>/queue_job/runjob</c>: the host's own, and each database <see cref="DatabaseQueues"/> serves while it does.
/// </summary>
internal sealed class JobPerformers(IServedDatabases databases, NodeIdentity node, RunnerOptions runner, JobMetrics metrics, JobFailureNotifier failures,
    ILogger<JobPerformer> logger)
{
    private readonly ConcurrentDictionary<string, JobPerformer> _performers = new(StringComparer.Ordinal);

    /// <summary>True while the host's own database is let go (its code does not fit it any more).</summary>
    private volatile bool _primaryClosed;

    /// <summary>The performer of <paramref name="database"/>, created on first use.</summary>
    public JobPerformer Open(Database database)
    {
        if (database.Name == databases.Primary.Name)
        {
            _primaryClosed = false;
        }

        return _performers.GetOrAdd(database.Name, _ => new JobPerformer(database, node, runner, metrics, logger, failures));
    }

    /// <summary>Forgets the performer of a database no longer served: none of its jobs runs here until it is opened again.</summary>
    public void Close(string database)
    {
        _primaryClosed |= database == databases.Primary.Name;
        _performers.TryRemove(database, out _);
    }

    /// <summary>The performer of the database named, if its jobs run here (the host's own, unless let go); null otherwise.</summary>
    public JobPerformer? Find(string database) =>
        database == databases.Primary.Name ? _primaryClosed ? null : Open(databases.Primary) : _performers.GetValueOrDefault(database);
}
