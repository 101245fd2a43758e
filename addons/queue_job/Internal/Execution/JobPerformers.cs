using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// One <see cref="JobPerformer"/> per database whose jobs this node runs, shared by its executors and
/// <c>/queue_job/runjob</c>: the host's own, and each database <see cref="DatabaseQueues"/> serves while it does.
/// </summary>
internal sealed class JobPerformers(IServedDatabases databases, NodeIdentity node, RunnerOptions runner, JobMetrics metrics, ILogger<JobPerformer> logger)
{
    private readonly ConcurrentDictionary<string, JobPerformer> _performers = new(StringComparer.Ordinal);

    /// <summary>The performer of <paramref name="database"/>, created on first use.</summary>
    public JobPerformer Open(Database database) =>
        _performers.GetOrAdd(database.Name, _ => new JobPerformer(database, node, runner, metrics, logger));

    /// <summary>Forgets the performer of a database no longer served.</summary>
    public void Close(string database) => _performers.TryRemove(database, out _);

    /// <summary>The performer of the database named, if its jobs run here; null otherwise.</summary>
    public JobPerformer? Find(string database) =>
        database == databases.Primary.Name ? Open(databases.Primary) : _performers.GetValueOrDefault(database);
}
