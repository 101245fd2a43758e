using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Host.Configuration;
using PluginHost.Host.Hosting;

namespace PluginHost.Tests.Support;

/// <summary>Boots a real host, as <c>host</c> does, against a test database.</summary>
internal static class TestHost
{
    /// <summary>Boots with the given options and optional configuration keys (<c>queue_job:channels</c>).</summary>
    public static Task<BootedHost> BootAsync(ServerOptions options, IReadOnlyDictionary<string, string?>? configuration = null, ILoggerFactory? logging = null) =>
        HostBootstrap.BootAsync(options, new ConfigurationBuilder().AddInMemoryCollection(configuration ?? new Dictionary<string, string?>()).Build(),
            logging ?? NullLoggerFactory.Instance);
}
