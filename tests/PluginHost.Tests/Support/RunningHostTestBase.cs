using Microsoft.Extensions.Hosting;
using PluginHost.Host.Hosting;

namespace PluginHost.Tests.Support;

/// <summary>Tests against a started host (web, queue_job server-wide, test_queue_job installed) with the runner configured by <see cref="Channels"/>.</summary>
public abstract class RunningHostTestBase
{
    internal TestDatabase Database { get; private set; } = null!;

    internal BootedHost Host { get; private set; } = null!;

    /// <summary>The options the host was started with (its HTTP port).</summary>
    internal PluginHost.Host.Configuration.ServerOptions Options { get; private set; } = null!;

    /// <summary>The <c>[queue_job] channels</c> string of the host.</summary>
    protected abstract string Channels { get; }

    /// <summary>How many executors the host runs.</summary>
    protected virtual int Workers => 2;

    [SetUp]
    public async Task StartHostAsync()
    {
        Database = new TestDatabase();
        Options = Database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with
        {
            ServerWideModules = ["web", "queue_job"], Init = ["test_queue_job"], Workers = Workers,
        };
        Host = await TestHost.BootAsync(Options, new Dictionary<string, string?> { ["queue_job:channels"] = Channels });
        await Host.Host.StartAsync();
    }

    /// <summary>A client of the host's web server that follows no redirect and keeps its own cookies.</summary>
    internal HttpClient WebClient() =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = new Uri($"http://{Options.HttpInterface}:{Options.HttpPort}") };

    [TearDown]
    public async Task StopHostAsync()
    {
        await Host.DisposeAsync();
        await Database.DisposeAsync();
    }
}
