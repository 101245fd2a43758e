using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// This process as a node of the cluster: the host's unique node id, written on the jobs its executors run. Every
/// database session of the node is named <see cref="SessionName"/>, so the runner can cut off a node taken for dead.
/// </summary>
internal sealed class NodeIdentity(HostSettings settings)
{
    public string Id { get; } = settings.NodeId;

    /// <summary>The <c>application_name</c> prefix of a node's sessions (the host's <c>ServerOptions.ApplicationName</c>).</summary>
    public const string SessionName = "pluginhost ";
}
