using Npgsql;

namespace PluginHost.Sdk.Advanced;

/// <summary>
/// The PostgreSQL driver (Npgsql) under an environment or a database, for the few places that need what only the
/// driver offers (batches of statements in one round trip, LISTEN, COPY). Everything else goes through
/// <see cref="Env"/>'s neutral members and its linq2db context; code using these is tied to the driver's version.
/// </summary>
public static class NpgsqlAccess
{
    /// <summary>The environment's connection; counts as a use of its transaction (<see cref="Env.Uses"/>).</summary>
    public static NpgsqlConnection NpgsqlConnection(this Env env) => (NpgsqlConnection)env.Connection;

    /// <summary>The environment's transaction; counts as a use of it.</summary>
    public static NpgsqlTransaction NpgsqlTransaction(this Env env) => (NpgsqlTransaction)env.Transaction;

    /// <summary>The database's connection pool.</summary>
    public static NpgsqlDataSource NpgsqlDataSource(this Database database) => (NpgsqlDataSource)database.DataSource;
}
