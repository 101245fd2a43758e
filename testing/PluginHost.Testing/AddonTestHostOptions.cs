using Microsoft.Extensions.Logging;

namespace PluginHost.Testing;

/// <summary>
/// What an <see cref="AddonTestHost"/> installs and where it finds addons and PostgreSQL. Every member has a default:
/// only <see cref="Install"/> is usually given.
/// </summary>
/// <example>
/// <code>
/// await using var host = await AddonTestHost.StartAsync(new AddonTestHostOptions { Install = ["my_shop"] });
/// </code>
/// </example>
public sealed record AddonTestHostOptions
{
    /// <summary>The one environment variable read: a PostgreSQL connection string (its database is not used).</summary>
    public const string ServerVariable = "PLUGINHOST_TEST_PG";

    /// <summary>The assembly metadata key naming an addons folder, set in a test project with <c>&lt;AssemblyMetadata Include="PluginHost.AddonsPath" Value="…" /&gt;</c>.</summary>
    public const string AddonsPathMetadata = "PluginHost.AddonsPath";

    /// <summary>The folder of the test output holding the addons the packages copy there: <c>addons</c>.</summary>
    public const string OutputAddonsFolder = "addons";

    /// <summary>Addons to install, with their dependencies (the addons that declare <c>auto_install</c> follow as in <c>host -i</c>).</summary>
    public IReadOnlyList<string> Install { get; init; } = [];

    /// <summary>
    /// Folders holding addon folders. Empty (the default): <c>&lt;AppContext.BaseDirectory&gt;/addons</c> when it exists,
    /// plus every <see cref="AddonsPathMetadata"/> value on the loaded assemblies.
    /// </summary>
    public IReadOnlyList<string> AddonsPath { get; init; } = [];

    /// <summary>The PostgreSQL server, as a connection string; null (the default): <see cref="ServerVariable"/>, else Testcontainers.</summary>
    public string? ServerConnectionString { get; init; }

    /// <summary>Configuration keys of the host, by section (<c>queue_job:channels</c>, <c>my_shop:api_url</c>), as host.conf would give them.</summary>
    public IReadOnlyDictionary<string, string?> Configuration { get; init; } = new Dictionary<string, string?>();

    /// <summary>Where the host logs; null (the default): nowhere.</summary>
    public ILoggerFactory? Logging { get; init; }
}
