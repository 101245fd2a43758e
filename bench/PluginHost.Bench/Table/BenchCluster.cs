using Npgsql;

namespace PluginHost.Bench.Table;

/// <summary>
/// The durable cluster of the table (PLUGINHOST_BENCH_PG) and the <c>bench_&lt;random&gt;</c> databases each scenario
/// creates and drops on it.
/// </summary>
internal static class BenchCluster
{
    public static NpgsqlConnectionStringBuilder Server { get; } = BenchDatabase.Server();

    public static string NewDatabaseName() => "bench_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>A connection string to <paramref name="database"/>; <paramref name="maxAutoPrepare"/> prepares repeated statements.</summary>
    public static string ConnectionString(string database, int maxAutoPrepare = 0, int maxPoolSize = 100) =>
        new NpgsqlConnectionStringBuilder(Server.ConnectionString)
        {
            Database = database, MaxAutoPrepare = maxAutoPrepare, MaxPoolSize = maxPoolSize, ApplicationName = "bench", CommandTimeout = 0,
        }.ConnectionString;

    public static async Task<NpgsqlConnection> OpenAsync(string database, int maxAutoPrepare = 0)
    {
        var connection = new NpgsqlConnection(ConnectionString(database, maxAutoPrepare));
        await connection.OpenAsync();
        return connection;
    }

    public static async Task CreateDatabaseAsync(string database)
    {
        await using var connection = await OpenAsync("postgres");
        await ExecuteAsync(connection, $"CREATE DATABASE \"{database}\"");
    }

    /// <summary>
    /// Runs <paramref name="run"/> on a new database (<see cref="NewDatabaseName"/>), dropped afterwards whatever
    /// happens; created first unless <paramref name="create"/> is false (a booting host creates it).
    /// </summary>
    public static async Task<T> WithDatabaseAsync<T>(Func<string, Task<T>> run, bool create = true)
    {
        var database = NewDatabaseName();
        if (create)
        {
            await CreateDatabaseAsync(database);
        }

        try
        {
            return await run(database);
        }
        finally
        {
            await DropDatabaseAsync(database);
        }
    }

    public static Task DropDatabaseAsync(string database)
    {
        NpgsqlConnection.ClearAllPools();
        return BenchDatabase.DropAsync(Server, database);
    }

    public static async Task<int> ExecuteAsync(NpgsqlConnection connection, string sql, params object?[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    public static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, params object?[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    public static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object?[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter ?? DBNull.Value });
        }

        return command;
    }

    /// <summary>
    /// Polls <paramref name="done"/> every <paramref name="every"/> (250 ms by default) until it holds; throws
    /// <see cref="TimeoutException"/> after <paramref name="limit"/>.
    /// </summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> done, TimeSpan limit, string what, TimeSpan? every = null)
    {
        var deadline = DateTime.UtcNow + limit;
        while (!await done())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{what} not reached within {limit.TotalSeconds:0} s");
            }

            await Task.Delay(every ?? TimeSpan.FromMilliseconds(250));
        }
    }
}
