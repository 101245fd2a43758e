using Microsoft.CodeAnalysis;

namespace PluginHost.Tests.Docs;

/// <summary>
/// What a documentation snippet compiles against, as an addon project does: the framework (.NET and ASP.NET Core, from
/// the trusted platform assemblies outside the test's own folder), and from the test output folder the sdk, web,
/// queue_job, host, linq2db, Npgsql and Microsoft.Extensions.* — never the test's own libraries (NUnit, Roslyn).
/// </summary>
internal static class SnippetReferences
{
    /// <summary>File names taken from the test output folder; one ending in <c>*</c> is a prefix.</summary>
    private static readonly string[] FromOutput =
        ["PluginHost.Sdk.dll", "PluginHost.Addons.Web.dll", "PluginHost.Addons.QueueJob.dll", "host.dll", "linq2db.dll", "Npgsql.dll", "Microsoft.Extensions.*"];

    /// <summary>The references, loaded once; a name in both places is the output folder's.</summary>
    public static IReadOnlyList<MetadataReference> All { get; } = Load();

    private static List<MetadataReference> Load()
    {
        var output = Path.GetFullPath(AppContext.BaseDirectory);
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var platform = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var path in platform.Where(p => !Path.GetFullPath(p).StartsWith(output, StringComparison.Ordinal)))
        {
            byName[Path.GetFileName(path)] = path;
        }

        foreach (var path in Directory.EnumerateFiles(output, "*.dll").Where(p => FromOutput.Any(name => Matches(Path.GetFileName(p), name))))
        {
            byName[Path.GetFileName(path)] = path;
        }

        var missing = FromOutput.Where(name => !name.EndsWith('*') && !byName.ContainsKey(name)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"Snippet references missing from {output}: {string.Join(", ", missing)}.");
        }

        return byName.Values.Order(StringComparer.Ordinal).Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToList();
    }

    private static bool Matches(string file, string name) =>
        name.EndsWith('*') ? file.StartsWith(name[..^1], StringComparison.OrdinalIgnoreCase) : file.Equals(name, StringComparison.OrdinalIgnoreCase);
}
