using Npgsql;
using PluginHost.Host.Configuration;

namespace PluginHost.Testing.Internal;

/// <summary>
/// The test run's PostgreSQL server seen from its <c>postgres</c> maintenance database: where databases are created,
/// cloned, renamed and dropped, and where a template's advisory lock is held. Each connection is its own (not pooled):
/// a pool would keep sessions open that block cloning and dropping.
/// </summary>
internal sealed class TestServerConnection(string connectionString)
{
    private readonly NpgsqlConnectionStringBuilder _server = new(connectionString);

    /// <summary>Host options on <paramref name="database"/> of this server: the given addons path, nothing server-wide, a free HTTP port.</summary>
    public ServerOptions Options(IReadOnlyList<string> addonsPath, string database) => new()
    {
        AddonsPath = addonsPath,
        Database = database,
        DbHost = _server.Host ?? "localhost",
        DbPort = _server.Port,
        DbUser = _server.Username,
        DbPassword = _server.Password,
        DbWaitSeconds = 0,
        ServerWideModules = [],
        HttpPort = FreePort(),
        Workers = 1,
    };

    /// <summary>Opens a connection to the maintenance database; an unreachable server is an error naming it and the variable.</summary>
    public async Task<NpgsqlConnection> OpenAsync()
    {
        var builder = new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = "postgres", Pooling = false };
        var connection = new NpgsqlConnection(builder.ConnectionString);
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch (NpgsqlException e)
        {
            await connection.DisposeAsync();
            throw new InvalidOperationException(
                $"Cannot connect to the test PostgreSQL server at {_server.Host}:{_server.Port} as '{_server.Username}' " +
                $"(from AddonTestHostOptions.ServerConnectionString or {AddonTestHostOptions.ServerVariable}): {e.Message}", e);
        }
    }

    /// <summary>True when the database exists.</summary>
    public async Task<bool> ExistsAsync(string database)
    {
        await using var connection = await OpenAsync();
        return await ExistsAsync(connection, database);
    }

    /// <summary>True when the database exists, asked on <paramref name="connection"/>.</summary>
    public static async Task<bool> ExistsAsync(NpgsqlConnection connection, string database)
    {
        await using var command = Command(connection, TemplateStatements.Exists, [database]);
        return await command.ExecuteScalarAsync() is not null;
    }

    /// <summary>Runs maintenance statements, in order, each committed by itself.</summary>
    public async Task ExecuteAsync(params string[] statements)
    {
        await using var connection = await OpenAsync();
        foreach (var sql in statements)
        {
            await ExecuteAsync(connection, sql);
        }
    }

    /// <summary>Runs one statement with positional parameters on <paramref name="connection"/>.</summary>
    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of each row of a query on <paramref name="connection"/>.</summary>
    public static async Task<List<string>> NamesAsync(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new List<string>();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString(reader.GetOrdinal("datname")));
        }

        return names;
    }

    /// <summary>A database name quoted as an SQL identifier.</summary>
    public static string Quoted(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, object[] parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return command;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
