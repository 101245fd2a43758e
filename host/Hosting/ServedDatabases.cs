using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Npgsql;
using PluginHost.Host.Configuration;
using PluginHost.Sdk;

namespace PluginHost.Host.Hosting;

/// <summary>
/// The host's <see cref="IServedDatabases"/>: the booted database, and the server's other databases matching
/// <c>--db-filter</c>, each opened once with a connection pool of its own (closed with the host).
/// </summary>
internal sealed class ServedDatabases(ServerOptions options, Database primary, IReadOnlySet<string> loadedAddons, ILoggerFactory loggerFactory)
    : IServedDatabases, IDisposable
{
    private const string ListDatabases = """
        SELECT datname FROM pg_database
        WHERE datallowconn AND NOT datistemplate AND datname <> 'postgres'
        ORDER BY datname
        """;

    private readonly ConcurrentDictionary<string, Lazy<Database>> _others = new(StringComparer.Ordinal);

    public Database Primary { get; } = primary;

    public IReadOnlySet<string> LoadedAddons { get; } = loadedAddons;

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        if (options.DbFilter is null)
        {
            return [Primary.Name];
        }

        var names = new List<string> { Primary.Name };
        await using var command = Primary.CreateCommand(ListDatabases);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var name = reader.GetString(0);
            if (name != Primary.Name && options.DbFilter.IsMatch(name))
            {
                names.Add(name);
            }
        }

        return names;
    }

    public Database? Open(string name)
    {
        if (name == Primary.Name)
        {
            return Primary;
        }

        if (options.DbFilter?.IsMatch(name) != true)
        {
            return null;
        }

        return _others.GetOrAdd(name, _ => new Lazy<Database>(() =>
        {
            var dataSource = new NpgsqlDataSourceBuilder(options.ConnectionString(name)).UseLoggerFactory(loggerFactory).Build();
            return new Database(name, dataSource, Primary.Registry, Primary.Services);
        })).Value;
    }

    public void Dispose()
    {
        foreach (var database in _others.Values.Where(d => d.IsValueCreated))
        {
            database.Value.DataSource.Dispose();
        }
    }
}
