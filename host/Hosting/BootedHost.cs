using Microsoft.Extensions.Hosting;
using Npgsql;
using PluginHost.Host.Addons;
using PluginHost.Sdk;

namespace PluginHost.Host.Hosting;

/// <summary>A host whose addons are loaded and whose database is up to date, ready to start serving.</summary>
public sealed class BootedHost(IHost host, Database database, AddonCatalog catalog, IReadOnlyList<LoadedAddon> addons, NpgsqlDataSource dataSource,
    NpgsqlDataSource jobSessions)
    : IAsyncDisposable
{
    /// <summary>The generic host running the server-wide addons' services.</summary>
    public IHost Host { get; } = host;

    /// <summary>The served database.</summary>
    public Database Database { get; } = database;

    /// <summary>Every addon on the addons path.</summary>
    public AddonCatalog Catalog { get; } = catalog;

    /// <summary>The loaded addons in dependency order.</summary>
    public IReadOnlyList<LoadedAddon> Addons { get; } = addons;

    /// <summary>Stops the services (within the host's shutdown timeout) and closes the connection pools.</summary>
    public async ValueTask DisposeAsync()
    {
        await Host.StopAsync();

        Host.Dispose();
        await dataSource.DisposeAsync();
        await jobSessions.DisposeAsync();
    }
}
