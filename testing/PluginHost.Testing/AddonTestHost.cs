using System.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Host.Addons;
using PluginHost.Host.Hosting;
using PluginHost.Sdk;
using PluginHost.Testing.Internal;

namespace PluginHost.Testing;

/// <summary>
/// A host booted in the test process, as <c>host</c> boots, on a throw-away database with chosen addons installed: the
/// database is cloned from a template database holding the install (built once per set of addons and addon builds),
/// and dropped on dispose. No runner and no server run: jobs run when the test says so (<see cref="RunJobAsync(string, CancellationToken)"/>).
/// </summary>
/// <example>
/// <code>
/// await using var host = await AddonTestHost.StartAsync("my_shop");
/// await using var env = await host.BeginAsync();
/// </code>
/// </example>
public sealed partial class AddonTestHost : IAsyncDisposable
{
    private readonly BootedHost _host;
    private readonly TestServerConnection _server;
    private readonly ILoggerFactory _logging;

    private AddonTestHost(BootedHost host, TestServerConnection server, ILoggerFactory logging, string templateName, bool templateCreated)
    {
        (_host, _server, _logging) = (host, server, logging);
        TemplateName = templateName;
        TemplateCreated = templateCreated;
    }

    /// <summary>The test database, as addons see it: open environments on it, read its models and services.</summary>
    public Database Database => _host.Database;

    /// <summary>The name of the test database, unique to this host.</summary>
    public string DatabaseName => _host.Database.Name;

    /// <summary>The template database the test database was cloned from.</summary>
    public string TemplateName { get; }

    /// <summary>True when this start installed the addons into a new template; false when it reused one.</summary>
    public bool TemplateCreated { get; }

    /// <summary>The host's services, as addons registered them.</summary>
    public IServiceProvider Services => _host.Host.Services;

    /// <summary>Starts a host with <paramref name="install"/> installed, on the default addons path and server.</summary>
    public static Task<AddonTestHost> StartAsync(params string[] install) =>
        StartAsync(new AddonTestHostOptions { Install = install });

    /// <summary>Starts a host as <paramref name="options"/> say; see <see cref="AddonTestHostOptions"/> for the defaults.</summary>
    public static async Task<AddonTestHost> StartAsync(AddonTestHostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var addonsPath = AddonsPathResolver.Resolve(options.AddonsPath);
        var catalog = AddonCatalog.Discover(addonsPath);
        foreach (var name in options.Install)
        {
            catalog.Require(name);
        }

        var server = new TestServerConnection(await TestServer.ConnectionStringAsync(options.ServerConnectionString));
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(options.Configuration).Build();
        var logging = options.Logging ?? NullLoggerFactory.Instance;
        var logger = logging.CreateLogger<AddonTestHost>();
        var started = Stopwatch.StartNew();
        var key = TemplateKey.For(catalog, options.Install);
        var database = "pht_test_" + Guid.NewGuid().ToString("N")[..16];
        var cloning = Stopwatch.StartNew();
        var installing = TimeSpan.Zero;
        var created = await TemplateDatabase.CloneAsync(server, key, database, async building =>
        {
            var clock = Stopwatch.StartNew();
            await using var installed = await HostBootstrap.BootAsync(server.Options(addonsPath, building) with { Init = options.Install }, configuration, logging);
            installing = clock.Elapsed;
            logger.LogInformation("installed {Addons} into template {Template} in {Milliseconds} ms", string.Join(", ", options.Install), key.Name, clock.ElapsedMilliseconds);
        });
        logger.LogInformation("created {Database} from template {Template} in {Milliseconds} ms", database, key.Name, (long)(cloning.Elapsed - installing).TotalMilliseconds);
        try
        {
            var host = await HostBootstrap.BootAsync(server.Options(addonsPath, database), configuration, logging);
            logger.LogInformation("started on {Database} in {Milliseconds} ms, template {Template} {Use}", database, started.ElapsedMilliseconds, key.Name, created ? "built" : "reused");
            return new AddonTestHost(host, server, logging, key.Name, created);
        }
        catch (Exception)
        {
            await server.ExecuteAsync(TemplateStatements.Drop(database));
            throw;
        }
    }

    /// <summary>Opens an environment on the test database (a connection and a transaction) acting as <paramref name="uid"/>.</summary>
    public Task<Env> BeginAsync(long uid = Env.SuperuserId, IReadOnlyDictionary<string, object?>? context = null) =>
        Database.BeginAsync(uid, context);

    /// <summary>Stops the host and drops the test database, ending any session still open on it.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            await _host.DisposeAsync();
        }
        finally
        {
            // Dropped even when the host's stop failed: a test database is never left behind.
            await _server.ExecuteAsync(TemplateStatements.Drop(DatabaseName));
        }
    }
}
