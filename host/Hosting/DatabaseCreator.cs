using Microsoft.Extensions.Logging;
using Npgsql;
using PluginHost.Host.Configuration;

namespace PluginHost.Host.Hosting;

/// <summary>
/// Creates the served database when it does not exist yet, through the <c>postgres</c> maintenance database, and drops
/// it again when the start that created it fails, so that a failed start leaves no database behind.
/// </summary>
internal static class DatabaseCreator
{
    /// <summary>
    /// True when this call created the database. Its connection is the start's first, which waits for the server
    /// (<see cref="ServerWait"/>). A missing database that <see cref="ServerOptions.CreateDatabase"/> forbids creating
    /// is an <see cref="ArgumentException"/> naming it.
    /// </summary>
    public static async Task<bool> EnsureExistsAsync(ServerOptions options, ILogger logger)
    {
        await using var connection = await ServerWait.OpenAsync(options, "postgres", logger);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = options.Database } } };
        if (await exists.ExecuteScalarAsync() is not null)
        {
            return false;
        }

        if (!options.CreateDatabase)
        {
            throw new ArgumentException($"Database '{options.Database}' does not exist; host commands work on an existing database (-d).");
        }

        try
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {Quoted(options.Database)} ENCODING 'UTF8' TEMPLATE template0", connection);
            await create.ExecuteNonQueryAsync();
            logger.LogInformation("created database {Database}", options.Database);
            return true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            logger.LogInformation("database {Database} was created by another process", options.Database);
            return false;
        }
    }

    /// <summary>Drops the database this start created, after the start failed.</summary>
    public static async Task DropAsync(ServerOptions options, ILogger logger)
    {
        await using var connection = new NpgsqlConnection(options.ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {Quoted(options.Database)} WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
        logger.LogInformation("dropped database {Database}, created by this start, which failed", options.Database);
    }

    private static string Quoted(string name) => "\"" + name.Replace("\"", "\"\"") + "\"";
}
