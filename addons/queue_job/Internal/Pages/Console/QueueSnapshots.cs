using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>The <see cref="QueueSnapshot"/> of each database the console shows, made on first use and shared by all its viewers.</summary>
internal sealed class QueueSnapshots(NodeOptions nodes, TimeProvider clock, ILoggerFactory loggers)
{
    private readonly ConcurrentDictionary<string, QueueSnapshot> _snapshots = new(StringComparer.Ordinal);

    public QueueSnapshot For(Database database) =>
        _snapshots.GetOrAdd(database.Name, _ => new QueueSnapshot(database, nodes, clock, loggers.CreateLogger<QueueSnapshot>()));
}
