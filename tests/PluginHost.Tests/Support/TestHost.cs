using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Host.Configuration;
using PluginHost.Host.Hosting;

namespace PluginHost.Tests.Support;

/// <summary>Boots a real host, as <c>host</c> does, against a test database.</summary>
internal static class TestHost
{
    /// <summary>The <c>[web] metrics_token</c> of every test host, unless a test sets another.</summary>
    public const string MetricsToken = "test-metrics-token";

    /// <summary>Boots with the given options and optional configuration keys (<c>queue_job:channels</c>).</summary>
    public static Task<BootedHost> BootAsync(ServerOptions options, IReadOnlyDictionary<string, string?>? configuration = null, ILoggerFactory? logging = null)
    {
        var keys = new Dictionary<string, string?> { ["web:metrics_token"] = MetricsToken };
        foreach (var (key, value) in configuration ?? new Dictionary<string, string?>())
        {
            keys[key] = value;
        }

        return HostBootstrap.BootAsync(options, new ConfigurationBuilder().AddInMemoryCollection(keys).Build(), logging ?? NullLoggerFactory.Instance);
    }

    /// <summary>A client of the metrics of a host started on <paramref name="options"/>, with the test token.</summary>
    public static HttpClient MetricsClient(ServerOptions options) => new()
    {
        BaseAddress = new Uri($"http://{options.HttpInterface}:{options.HttpPort}"),
        DefaultRequestHeaders = { Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", MetricsToken) },
    };
}
