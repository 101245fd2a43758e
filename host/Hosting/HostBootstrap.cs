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
    /// <summary>
    /// Boots the host without starting its services; addons in <paramref name="loaded"/> (loaded earlier to read their
    /// commands, with their dependencies) are taken as they are.
    /// </summary>
    public static async Task<BootedHost> BootAsync(ServerOptions options, IConfiguration configuration, ILoggerFactory loggerFactory,
        IReadOnlyList<LoadedAddon>? loaded = null)
    {
        var logger = loggerFactory.CreateLogger(typeof(HostBootstrap).FullName!);
        var catalog = AddonCatalog.Discover(options.AddonsPath);
        logger.LogInformation("addons path {Path}: {Count} addons", string.Join(",", options.AddonsPath), catalog.Ordered.Count);

        // The server-wide addons are loaded first, and their sections checked, before any connection is tried.
        var serverWide = AddonLoader.Load(catalog.WithDependencies(options.ServerWideModules), loaded);
        foreach (var addon in serverWide)
        {
            addon.Entry?.CheckConfiguration(configuration.GetSection(addon.Name));
        }

        var created = await DatabaseCreator.EnsureExistsAsync(options, logger);
        var dataSource = DatabaseSources.Shared(options, options.Database, loggerFactory);
        var jobSessions = DatabaseSources.JobSessions(options, options.Database, loggerFactory);
        try
        {
            var request = new ModuleRequest { Install = options.Init, Update = options.Update, Uninstall = options.Uninstall, ServerWide = options.ServerWideModules };
            var bootstrapDatabase = new Database(options.Database, dataSource, new ModelRegistryBuilder().Build(), new ServiceCollection().BuildServiceProvider());
            var plan = ModulePlan.Compute(catalog, await ModuleLifecycle.InstalledAsync(bootstrapDatabase), request);

            foreach (var name in plan.Missing)
            {
                logger.LogWarning("addon '{Addon}' is installed in database '{Database}' but on no folder of the addons path ({Path}): its models, jobs and pages are not loaded; add its folder to --addons-path",
                    name, options.Database, string.Join(",", options.AddonsPath));
            }

            var addons = AddonLoader.Load(plan.Load, [.. serverWide, .. (loaded ?? []).Where(a => !serverWide.Contains(a))]);
            logger.LogInformation("loaded addons: {Addons}", string.Join(", ", addons.Select(a => a.Name)));
            LogUnreadKeys(ConfigurationKeyCheck.Check(configuration, addons, catalog), logger);
            // The host's own models first: the base records addons' data files refer to.
            var models = new ModelRegistryBuilder().Add<Models.ResGroups>().Add<Models.IrModelAccess>();
            foreach (var addon in addons)
            {
                RegisterModels(addon, models);
            }

            var host = BuildHost(options, configuration, loggerFactory, catalog, addons, plan.Missing, models.Build(), dataSource, jobSessions);
            var database = host.Services.GetRequiredService<Database>();
            await new ModuleLifecycle(database, addons, loggerFactory.CreateLogger<ModuleLifecycle>()).ApplyAsync(catalog, plan);
            return new BootedHost(host, database, catalog, addons, dataSource, jobSessions);
        }
        catch (Exception)
        {
            await dataSource.DisposeAsync();
            await jobSessions.DisposeAsync();
            if (created)
            {
                await DatabaseCreator.DropAsync(options, logger);
            }

            throw;
        }
    }

    /// <summary>Adds the addon's models; a model class it cannot register is an error naming the addon and its manifest.</summary>
    private static void RegisterModels(LoadedAddon addon, ModelRegistryBuilder models)
    {
        try
        {
            addon.Entry?.RegisterModels(models);
        }
        catch (ArgumentException e)
        {
            throw new AddonLoadException(addon.Discovered.ManifestPath, $"addon '{addon.Name}': {e.Message}", e);
        }
    }

    /// <summary>One warning per key or section nothing reads, and one line for the Odoo keys PluginHost ignores.</summary>
    private static void LogUnreadKeys(ConfigurationKeyCheck.Report report, ILogger logger)
    {
        foreach (var warning in report.Unknown)
        {
            logger.LogWarning("configuration: {Warning}", warning);
        }

        if (report.Ignored.Count > 0)
        {
            logger.LogInformation("configuration: ignored, PluginHost does not use them: {Keys}", string.Join(", ", report.Ignored));
        }
    }

    private static IHost BuildHost(ServerOptions options, IConfiguration configuration, ILoggerFactory loggerFactory, AddonCatalog catalog,
        IReadOnlyList<LoadedAddon> addons, IReadOnlyList<string> missing, ModelRegistry registry, NpgsqlDataSource dataSource, NpgsqlDataSource jobSessions)
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
        builder.Services.AddSingleton(sp => new Database(options.Database, dataSource, registry, sp, jobSessions));
        builder.Services.AddSingleton<IServedDatabases>(sp => new ServedDatabases(options, sp.GetRequiredService<Database>(), addons, missing, loggerFactory));
        builder.Services.AddSingleton(new HostSettings(options.Database, options.HttpInterface, options.HttpPort, options.Workers, options.NodeId));
        foreach (var addon in addons)
        {
            var serverWide = options.ServerWideModules.Contains(addon.Name);
            addon.Entry?.ConfigureServices(builder.Services, new AddonContext(addon.Discovered.Manifest, addon.Discovered.Directory, serverWide, configuration));
        }

        return builder.Build();
    }
}
