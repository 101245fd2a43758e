using System.Reflection;

namespace PluginHost.Testing.Internal;

/// <summary>
/// The addons path of a test host: the folders given, else the test output's <c>addons</c> folder (when it exists) and
/// the <see cref="AddonTestHostOptions.AddonsPathMetadata"/> folders of the loaded assemblies. A folder named
/// explicitly (in the options or the metadata) that does not exist is an error naming it and where it came from.
/// </summary>
internal static class AddonsPathResolver
{
    public static IReadOnlyList<string> Resolve(IReadOnlyList<string> given)
    {
        if (given.Count > 0)
        {
            return given.Select(p => Existing(p, "AddonTestHostOptions.AddonsPath")).ToList();
        }

        var folders = new List<string>();
        var output = Path.Combine(AppContext.BaseDirectory, AddonTestHostOptions.OutputAddonsFolder);
        if (Directory.Exists(output))
        {
            folders.Add(Path.GetFullPath(output));
        }

        foreach (var (assembly, value) in MetadataFolders())
        {
            folders.Add(Existing(value, $"[assembly: AssemblyMetadata(\"{AddonTestHostOptions.AddonsPathMetadata}\", …)] of {assembly}"));
        }

        var distinct = folders.Distinct(StringComparer.Ordinal).ToList();
        return distinct.Count > 0
            ? distinct
            : throw new DirectoryNotFoundException(
                $"No addons path: {output} does not exist and no loaded assembly carries the '{AddonTestHostOptions.AddonsPathMetadata}' metadata. " +
                $"Add <AssemblyMetadata Include=\"{AddonTestHostOptions.AddonsPathMetadata}\" Value=\"$(MSBuildProjectDirectory)/..\" /> to the test project " +
                "(the folder holding your addon's folder), or set AddonTestHostOptions.AddonsPath.");
    }

    private static IEnumerable<(string Assembly, string Value)> MetadataFolders() =>
        AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => !a.IsDynamic)
            .OrderBy(a => a.FullName, StringComparer.Ordinal)
            .SelectMany(a => a.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Where(m => m.Key == AddonTestHostOptions.AddonsPathMetadata && !string.IsNullOrWhiteSpace(m.Value))
                .Select(m => (a.GetName().Name ?? a.FullName ?? "", m.Value!)));

    private static string Existing(string folder, string source)
    {
        var full = Path.GetFullPath(folder);
        return Directory.Exists(full)
            ? full
            : throw new DirectoryNotFoundException($"Addons folder '{full}' (from {source}) does not exist.");
    }
}
