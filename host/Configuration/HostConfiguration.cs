using Microsoft.Extensions.Configuration;

namespace PluginHost.Host.Configuration;

/// <summary>
/// Builds the host configuration: the INI file (<c>-c</c>), then the <c>ODOO_QUEUE_JOB_*</c> environment
/// variables (as the original addon honours them, over the file), then command-line flags.
/// </summary>
public static class HostConfiguration
{
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

            CheckIni(path);
            builder.AddIniFile(path, optional: false);
        }

        builder.Add(new QueueJobVariables(environment));
        builder.AddInMemoryCollection(flags);
        return builder.Build();
    }

    /// <summary>
    /// Every line of the INI file is blank, a comment (<c>;</c> or <c>#</c>), a <c>[section]</c> or <c>key = value</c>,
    /// and no key is given twice in a section; else an error naming the file and the line (the reader's own error names
    /// neither).
    /// </summary>
    private static void CheckIni(string path)
    {
        var section = "";
        var keys = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var number = 0;
        foreach (var raw in File.ReadLines(path))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is ';' or '#' or '/')
            {
                continue;
            }

            if (line[0] == '[' && line[^1] == ']')
            {
                section = line[1..^1].Trim();
                continue;
            }

            var separator = line.IndexOf('=');
            if (separator <= 0)
            {
                throw new ArgumentException($"{path}:{number}: '{line}' is not a [section], a 'key = value' line or a comment (; or #).");
            }

            var key = $"{section}:{line[..separator].Trim()}";
            if (!keys.TryAdd(key, number))
            {
                throw new ArgumentException($"{path}:{number}: '{line[..separator].Trim()}' of [{section}] is given again; it was given on line {keys[key]}.");
            }
        }
    }
}
