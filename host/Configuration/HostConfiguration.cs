using Microsoft.Extensions.Configuration;

namespace PluginHost.Host.Configuration;

/// <summary>
/// Builds the host configuration: the INI file (<c>-c</c>), then the <c>ODOO_QUEUE_JOB_*</c> environment
/// variables (as the original addon honours them, over the file), then command-line flags.
/// </summary>
public static class HostConfiguration
{
    private const string QueueJobPrefix = "ODOO_QUEUE_JOB_";

    /// <summary>The layered configuration.</summary>
    public static IConfiguration Build(string? configFile, IReadOnlyDictionary<string, string?> flags, System.Collections.IDictionary environment)
    {
        var builder = new ConfigurationBuilder();
        if (configFile is not null)
        {
            var path = Path.GetFullPath(configFile);
            if (!File.Exists(path))
            {
                throw new ArgumentException($"Configuration file '{path}' (-c) does not exist.");
            }

            builder.AddIniFile(path, optional: false);
        }

        builder.AddInMemoryCollection(QueueJobVariables(environment));
        builder.AddInMemoryCollection(flags);
        return builder.Build();
    }

    private static IEnumerable<KeyValuePair<string, string?>> QueueJobVariables(System.Collections.IDictionary environment)
    {
        foreach (System.Collections.DictionaryEntry entry in environment)
        {
            if (entry.Key is string name && name.StartsWith(QueueJobPrefix, StringComparison.Ordinal))
            {
                yield return new($"queue_job:{name[QueueJobPrefix.Length..].ToLowerInvariant()}", entry.Value as string);
            }
        }
    }
}
