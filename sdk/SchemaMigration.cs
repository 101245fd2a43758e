using System.Reflection;
using System.Text.RegularExpressions;

namespace PluginHost.Sdk;

/// <summary>
/// One versioned schema change of an addon, applied once per database inside the install or update
/// transaction and recorded in <c>ir_module_migration</c> with the checksum of its SQL. Never edit a released
/// migration (the host refuses a database whose stored checksum differs); ship a new one.
/// </summary>
/// <param name="Version">Order and identity of the migration within its addon; never reused.</param>
/// <param name="Name">Short description, from the file name.</param>
/// <param name="Sql">The statements to run.</param>
public sealed partial record SchemaMigration(int Version, string Name, string Sql)
{
    /// <summary>
    /// Reads the embedded resources named <c>….Migrations.NNNN_description.sql</c> of an assembly, ordered by their
    /// number. A <c>.sql</c> resource under <c>Migrations</c> whose name does not read so, and two resources with one
    /// number, are errors naming them: either would silently never be applied.
    /// </summary>
    /// <exception cref="InvalidOperationException">A misnamed migration, or a number used twice.</exception>
    public static IReadOnlyList<SchemaMigration> FromResources(Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var migrations = new List<(SchemaMigration Migration, string Resource)>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.Contains(".Migrations.", StringComparison.Ordinal) && r.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var match = ResourceName().Match(resource);
            if (!match.Success)
            {
                throw new InvalidOperationException(
                    $"Migration resource '{resource}' does not read Migrations/NNNN_description.sql (a number, '_', then letters, digits or '_'); it would never be applied.");
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            migrations.Add((new SchemaMigration(int.Parse(match.Groups[1].Value), match.Groups[2].Value, reader.ReadToEnd()), resource));
        }

        if (migrations.GroupBy(m => m.Migration.Version).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new InvalidOperationException(
                $"Migration resources {string.Join(" and ", twice.Select(m => $"'{m.Resource}'"))} share the number {twice.Key}: a number is applied once, so one would never run.");
        }

        return migrations.Select(m => m.Migration).OrderBy(m => m.Version).ToList();
    }

    [GeneratedRegex(@"\.Migrations\.(\d+)_([A-Za-z0-9_]+)\.sql$")]
    private static partial Regex ResourceName();
}
