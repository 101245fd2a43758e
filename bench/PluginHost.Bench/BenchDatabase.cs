using Npgsql;
using PluginHost.Host.Configuration;

namespace PluginHost.Bench;

/// <summary>The PostgreSQL server of the benchmarks (PLUGINHOST_BENCH_PG) and a database of their own on it.</summary>
internal static class BenchDatabase
{
    public static NpgsqlConnectionStringBuilder Server() =>
        new(Environment.GetEnvironmentVariable("PLUGINHOST_BENCH_PG")
            ?? throw new InvalidOperationException("Set PLUGINHOST_BENCH_PG to a PostgreSQL connection string (scripts/bench does)."));

    /// <summary>Server options for <paramref name="database"/> with the repository's addons and fixture addons.</summary>
    public static ServerOptions Options(NpgsqlConnectionStringBuilder server, string database)
    {
        var root = RepoRoot();
        return new ServerOptions
        {
            AddonsPath = [Path.Combine(root, "addons"), Path.Combine(root, "tests", "fixtures", "addons")],
            Database = database, DbHost = server.Host!, DbPort = server.Port, DbUser = server.Username, DbPassword = server.Password,
            ServerWideModules = [], HttpPort = 18069,
        };
    }

    public static async Task DropAsync(NpgsqlConnectionStringBuilder server, string database)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }

    public static string RepoRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "PluginHost.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("PluginHost.sln not found above " + AppContext.BaseDirectory);
    }
}
