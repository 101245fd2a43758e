namespace PluginHost.Host.Modules;

/// <summary>The database lacks migrations that the code of its installed addons brings: it needs <c>-u</c> before serving.</summary>
public sealed class StaleDatabaseException(string message) : Exception(message);
