using Microsoft.Extensions.Logging;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>One <see cref="JobPerformer"/> per database this node serves, shared by its executors and <c>/queue_job/runjob</c>.</summary>
internal sealed class JobPerformers(IServedDatabases databases, NodeIdentity node, JobMetrics metrics, ILogger<JobPerformer> logger)
{
    private readonly Dictionary<string, JobPerformer> _performers = new(StringComparer.Ordinal);

    /// <summary>The performer of the database named; null when this node does not serve it.</summary>
    public JobPerformer? For(string database)
    {
        lock (_performers)
        {
            if (!_performers.TryGetValue(database, out var performer) && databases.Open(database) is { } opened)
            {
                performer = new JobPerformer(opened, node, metrics, logger);
                _performers.Add(database, performer);
            }

            return performer;
        }
    }
}
