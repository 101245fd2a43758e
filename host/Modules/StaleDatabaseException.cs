namespace PluginHost.Host.Modules;

/// <summary>
/// The database's schema does not match the code of its installed addons: it lacks migrations the code brings (it needs
/// <c>-u</c> before serving), records migrations the code does not ship (a newer build migrated it), or applied a
/// migration whose SQL the code has since changed (its stored checksum differs from the shipped one).
/// </summary>
public sealed class StaleDatabaseException(string message) : Exception(message);
