namespace PluginHost.Host.Modules;

/// <summary>
/// The database's schema does not match the code of its installed addons: it lacks migrations the code brings (it needs
/// <c>-u</c> before serving), or records migrations the code does not ship (a newer build migrated it).
/// </summary>
public sealed class StaleDatabaseException(string message) : Exception(message);
