namespace PluginHost.Sdk;

/// <summary>Host-wide settings addons may need: the served database, where HTTP listens, how many jobs run at once, this node's id.</summary>
/// <param name="Database">Name of the served database.</param>
/// <param name="HttpInterface">Address the web addon listens on.</param>
/// <param name="HttpPort">Port the web addon listens on.</param>
/// <param name="Workers">Jobs this node runs at once.</param>
/// <param name="NodeId">This process as a node: unique; its database sessions are named <c>pluginhost &lt;NodeId&gt;</c>.</param>
public sealed record HostSettings(string Database, string HttpInterface, int HttpPort, int Workers, string NodeId);
