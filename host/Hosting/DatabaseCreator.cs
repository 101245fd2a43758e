using Microsoft.Extensions.Logging;
using Npgsql;
using PluginHost.Host.Configuration;

namespace PluginHost.Host.Hosting;

/// <summary>Creates the served database when it does not exist yet, through the <c>postgres</c> maintenance database.</summary>
internal static class DatabaseCreator
{
    public static async Task EnsureExistsAsync(ServerOptions options, ILogger logger)
    {
        await using var connection = new NpgsqlConnection(options.ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection) { Parameters = { new() { Value = options.Database } } };
        if (await exists.ExecuteScalarAsync() is not null)
        {
            return;
        }

        var name = "\"" + options.Database.Replace("\"", "\"\"") + "\"";
        try
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name} ENCODING 'UTF8' TEMPLATE template0", connection);
            await create.ExecuteNonQueryAsync();
            logger.LogInformation("created database {Database}", options.Database);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            logger.LogInformation("database {Database} was created by another process", options.Database);
        }
    }
}
