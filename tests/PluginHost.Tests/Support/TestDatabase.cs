using Npgsql;
using PluginHost.Tests;
using PluginHost.Host.Configuration;

namespace PluginHost.Tests.Support;

/// <summary>
/// A database of its own for one test that needs commits (installs, the jobrunner): a unique name, created by
/// the host on first boot, dropped when the test ends. On the test run's server unless another is given.
/// </summary>
internal sealed class TestDatabase(string? serverConnectionString = null) : IAsyncDisposable
{
    private readonly NpgsqlConnectionStringBuilder _server = new(serverConnectionString ?? TestPostgres.ConnectionString);

    public string Name { get; } = "test_" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>Server options pointing at this database and the given addons folders, nothing server-wide.</summary>
    public ServerOptions Options(params string[] addonsPath) => new()
    {
        AddonsPath = addonsPath,
        Database = Name,
        DbHost = _server.Host ?? "localhost",
        DbPort = _server.Port,
        DbUser = _server.Username,
        DbPassword = _server.Password,
        ServerWideModules = [],
        HttpPort = FreePort(),
        Workers = 2,
    };

    /// <summary>Opens a connection to this database.</summary>
    public async Task<NpgsqlConnection> ConnectAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = Name, Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>First column of the first row of a query on this database.</summary>
    public async Task<T?> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = await ConnectAsync();
        await using var command = Command(connection, sql, parameters);
        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    /// <summary>The first column of every row of a query on this database.</summary>
    public async Task<List<T>> ColumnAsync<T>(string sql, params object[] parameters)
    {
        await using var connection = await ConnectAsync();
        await using var command = Command(connection, sql, parameters);
        var values = new List<T>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }

    /// <summary>
    /// Waits until <paramref name="work"/>, running on the backend <paramref name="backendPid"/>, is done or waits
    /// for a lock held by another transaction: the point where a concurrency test lets the other side go on.
    /// </summary>
    public async Task UntilBlockedOrDoneAsync(Task work, int backendPid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!work.IsCompleted && DateTime.UtcNow < deadline
            && !await ScalarAsync<bool>("SELECT cardinality(pg_blocking_pids($1)) > 0", backendPid))
        {
            await Task.Yield();
        }
    }

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, object[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return command;
    }

    /// <summary>
    /// Creates the database, empty, before any host starts on it: a start that fails then keeps it (a failed start
    /// drops only a database it created itself), so a test can look at what was rolled back.
    /// </summary>
    public Task CreateAsync() => MaintainAsync($"CREATE DATABASE \"{Name}\" ENCODING 'UTF8' TEMPLATE template0");

    public async ValueTask DisposeAsync() => await MaintainAsync($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");

    private async Task MaintainAsync(string sql)
    {
        var builder = new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>A TCP port nothing listens on right now.</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
