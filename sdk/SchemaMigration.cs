using System.Reflection;
using System.Text.RegularExpressions;

namespace PluginHost.Sdk;

/// <summary>
/// One versioned schema change of an addon, applied once per database inside the install or update
/// transaction and recorded in <c>ir_module_migration</c>.
/// </summary>
/// <param name="Version">Order and identity of the migration within its addon; never reused.</param>
/// <param name="Name">Short description, from the file name.</param>
/// <param name="Sql">The statements to run.</param>
public sealed partial record SchemaMigration(int Version, string Name, string Sql)
{
    /// <summary>
    /// Reads the embedded resources named <c>….Migrations.NNNN_description.sql</c> of an assembly,
    /// ordered by their number.
    /// </summary>
    public static IReadOnlyList<SchemaMigration> FromResources(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var migrations = new List<SchemaMigration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add(new SchemaMigration(int.Parse(match.Groups[1].Value), match.Groups[2].Value, reader.ReadToEnd()));
        }

        return migrations.OrderBy(m => m.Version).ToList();
    }

    [GeneratedRegex(@"\.Migrations\.(\d+)_([A-Za-z0-9_]+)\.sql$")]
    private static partial Regex ResourceName();
}
