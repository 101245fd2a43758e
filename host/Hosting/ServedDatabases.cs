using System.Data;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Npgsql;
using PluginHost.Host.Addons;
using PluginHost.Host.Configuration;
using PluginHost.Host.Modules;
using PluginHost.Sdk;

namespace PluginHost.Host.Hosting;

/// <summary>
/// The host's <see cref="IServedDatabases"/>: the booted database, and the server's other databases matching
/// <c>--db-filter</c>, each opened once with a connection pool of its own (closed with the host).
/// </summary>
internal sealed class ServedDatabases(ServerOptions options, Database primary, IReadOnlyList<LoadedAddon> loaded, IReadOnlyList<string> missingAtStart,
    ILoggerFactory loggerFactory)
    : IServedDatabases, IDisposable
{
    /// <summary>The installed addons, each with the migrations the database records (none: no row with a version).</summary>
    private const string InstalledMigrations = """
        SELECT m.name AS module, g.version, g.name AS migration
        FROM ir_module_module m
        LEFT JOIN ir_module_migration g ON g.module = m.name
        WHERE m.state = 'installed'
        """;

    private const string ListDatabases = """
        SELECT datname FROM pg_database
        WHERE datallowconn AND NOT datistemplate AND datname <> 'postgres'
        ORDER BY datname
        """;

    private readonly ConcurrentDictionary<string, Lazy<Database>> _others = new(StringComparer.Ordinal);

    public Database Primary { get; } = primary;

    public IReadOnlySet<string> LoadedAddons { get; } = loaded.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);

    /// <summary>The migrations each loaded addon ships, as <c>NNNN_name</c> by number.</summary>
    private readonly Dictionary<string, Dictionary<int, string>> _shipped = loaded.ToDictionary(a => a.Name,
        a => (a.Entry?.Migrations ?? []).ToDictionary(m => m.Version, m => MigrationLabel.Of(m.Version, m.Name)), StringComparer.Ordinal);

    public async Task<string?> MismatchAsync(Database database, CancellationToken cancellationToken)
    {
        var recorded = new SortedDictionary<string, SortedDictionary<int, string>>(StringComparer.Ordinal);
        await using (var command = database.CreateCommand(InstalledMigrations))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var migrations = recorded.TryGetValue(reader.GetString("module"), out var known) ? known : recorded[reader.GetString("module")] = [];
                if (!reader.IsDBNull("version"))
                {
                    migrations[reader.GetInt32("version")] = MigrationLabel.Of(reader.GetInt32("version"), reader.GetString("migration"));
                }
            }
        }

        var problems = new List<string>();
        // The host's own database was started with the installed addons missing from the addons path named in a warning.
        var accepted = database == Primary ? missingAtStart : [];
        if (recorded.Keys.Where(name => !LoadedAddons.Contains(name) && !accepted.Contains(name)).ToList() is { Count: > 0 } notLoaded)
        {
            problems.Add($"installed addons this node did not load: {string.Join(", ", notLoaded)} (add them to --addons-path and --load, or serve it from a node that has them)");
        }

        foreach (var (addon, applied) in recorded.Where(r => _shipped.ContainsKey(r.Key)))
        {
            var shipped = _shipped[addon];
            if (shipped.Where(m => !applied.ContainsKey(m.Key)).OrderBy(m => m.Key).Select(m => m.Value).ToList() is { Count: > 0 } missing)
            {
                problems.Add($"'{addon}' lacks migrations {string.Join(", ", missing)} of the loaded build (update it: host -d {database.Name} -u {addon})");
            }

            if (applied.Where(m => !shipped.ContainsKey(m.Key)).Select(m => m.Value).ToList() is { Count: > 0 } newer)
            {
                problems.Add($"'{addon}' has migrations {string.Join(", ", newer)} that the loaded build does not ship (a newer build migrated it: serve it with that build)");
            }
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }

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
            var name = reader.GetString("datname");
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
            return new Database(name, DatabaseSources.Shared(options, name, loggerFactory), Primary.Registry, Primary.Services,
                DatabaseSources.JobSessions(options, name, loggerFactory));
        })).Value;
    }

    public void Dispose()
    {
        foreach (var database in _others.Values.Where(d => d.IsValueCreated))
        {
            database.Value.DataSource.Dispose();
            database.Value.JobSessions?.Dispose();
        }
    }
}
