namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>This process as a node of the cluster: a unique id, written on the jobs its executors run.</summary>
internal sealed class NodeIdentity
{
    public string Id { get; } = $"{System.Net.Dns.GetHostName()}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";
}
