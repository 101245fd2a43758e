using Npgsql;

namespace PluginHost.Host.Hosting;

/// <summary>
/// A PostgreSQL error that says the connection or the server went away (classes 08 and 57P: a broken connection, a
/// shutdown), not that a statement was refused: it propagates as it is, never reworded as the fault of an addon's
/// migration or record.
/// </summary>
internal static class ConnectionLoss
{
    /// <summary>True for an error of class 08 or 57P.</summary>
    public static bool Is(PostgresException error) =>
        error.SqlState.StartsWith("08", StringComparison.Ordinal) || error.SqlState.StartsWith("57P", StringComparison.Ordinal);
}
