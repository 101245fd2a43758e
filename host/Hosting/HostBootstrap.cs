using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using PluginHost.Host.Addons;
using PluginHost.Host.Configuration;
using PluginHost.Host.Modules;
using PluginHost.Sdk;

namespace PluginHost.Host.Hosting;

/// <summary>
/// Brings a host up, in the order the design promises: read every manifest and order them, connect (waiting
/// for PostgreSQL up to <c>--db-wait</c>) and create the database if missing, compute the module plan, load the
/// DLLs in dependency order, build the models and services, then apply installs, updates and uninstalls in one
/// transaction.
/// </summary>
public static class HostBootstrap
{
    /// <summary>Boots the host without starting its services.</summary>
    public static async Task<BootedHost> BootAsync(ServerOptions options, IConfiguration configuration, ILoggerFactory loggerFactory)
    {
        var logger = loggerFactory.CreateLogger(typeof(HostBootstrap).FullName!);
        var catalog = AddonCatalog.Discover(options.AddonsPath);
        logger.LogInformation("addons path {Path}: {Count} addons", string.Join(",", options.AddonsPath), catalog.Ordered.Count);

        var created = await DatabaseCreator.EnsureExistsAsync(options, logger);
        var dataSource = new NpgsqlDataSourceBuilder(options.ConnectionString()).UseLoggerFactory(loggerFactory).Build();
        try
        {
            var request = new ModuleRequest { Install = options.Init, Update = options.Update, Uninstall = options.Uninstall, ServerWide = options.ServerWideModules };
            var bootstrapDatabase = new Database(options.Database, dataSource, new ModelRegistryBuilder().Build(), new ServiceCollection().BuildServiceProvider());
            var plan = ModulePlan.Compute(catalog, await ModuleLifecycle.InstalledAsync(bootstrapDatabase), request);

            var addons = AddonLoader.Load(plan.Load);
            logger.LogInformation("loaded addons: {Addons}", string.Join(", ", addons.Select(a => a.Name)));
            var models = new ModelRegistryBuilder();
            foreach (var addon in addons)
            {
                addon.Entry?.RegisterModels(models);
            }

            var host = BuildHost(options, configuration, loggerFactory, catalog, addons, models.Build(), dataSource);
            var database = host.Services.GetRequiredService<Database>();
            await new ModuleLifecycle(database, addons, loggerFactory.CreateLogger<ModuleLifecycle>()).ApplyAsync(catalog, plan);
            return new BootedHost(host, database, catalog, addons, dataSource);
        }
        catch (Exception)
        {
            await dataSource.DisposeAsync();
            if (created)
            {
                await DatabaseCreator.DropAsync(options, logger);
            }

            throw;
        }
    }

    private static IHost BuildHost(ServerOptions options, IConfiguration configuration, ILoggerFactory loggerFactory, AddonCatalog catalog,
        IReadOnlyList<LoadedAddon> addons, ModelRegistry registry, NpgsqlDataSource dataSource)
    {
        var settings = new HostApplicationBuilderSettings { DisableDefaults = true, Configuration = new ConfigurationManager() };
        settings.Configuration.AddConfiguration(configuration);
        var builder = new HostApplicationBuilder(settings);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = TimeSpan.FromSeconds(options.ShutdownTimeoutSeconds));
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton(addons);
        builder.Services.AddSingleton(dataSource);
        builder.Services.AddSingleton(sp => new Database(options.Database, dataSource, registry, sp));
        builder.Services.AddSingleton<IServedDatabases>(sp => new ServedDatabases(options, sp.GetRequiredService<Database>(),
            addons.Select(a => a.Name).ToHashSet(StringComparer.Ordinal), loggerFactory));
        builder.Services.AddSingleton(new HostSettings(options.Database, options.HttpInterface, options.HttpPort, options.Workers, options.NodeId));
        foreach (var addon in addons)
        {
            var serverWide = options.ServerWideModules.Contains(addon.Name);
            addon.Entry?.ConfigureServices(builder.Services, new AddonContext(addon.Discovered.Manifest, addon.Discovered.Directory, serverWide, configuration));
        }

        return builder.Build();
    }
}
