using McMaster.NETCore.Plugins;
using PluginHost.Sdk;

namespace PluginHost.Host.Addons;

/// <summary>
/// Loads addon assemblies with McMaster.NETCore.Plugins, in dependency order, one load context each.
/// The sdk is shared with the host; the addons an addon depends on are shared with it; its other
/// libraries stay private, so two addons may bundle two versions of one library.
/// </summary>
public static class AddonLoader
{
    /// <summary>Loads the addons, which must be in dependency order and include their dependencies.</summary>
    public static IReadOnlyList<LoadedAddon> Load(IReadOnlyList<DiscoveredAddon> ordered)
    {
        var loaded = new Dictionary<string, LoadedAddon>(StringComparer.Ordinal);
        foreach (var addon in ordered)
        {
            loaded[addon.Name] = LoadOne(addon, TransitiveDependencies(addon, loaded));
        }

        return ordered.Select(a => loaded[a.Name]).ToList();
    }

    private static IReadOnlyList<LoadedAddon> TransitiveDependencies(DiscoveredAddon addon, IReadOnlyDictionary<string, LoadedAddon> loaded)
    {
        var result = new List<LoadedAddon>();
        var pending = new Queue<string>(addon.Manifest.Depends);
        while (pending.TryDequeue(out var name))
        {
            var dependency = loaded.TryGetValue(name, out var found)
                ? found
                : throw new InvalidOperationException($"Addon '{name}' must be loaded before '{addon.Name}'.");
            if (!result.Contains(dependency))
            {
                result.Add(dependency);
                foreach (var next in dependency.Discovered.Manifest.Depends)
                {
                    pending.Enqueue(next);
                }
            }
        }

        return result.Where(d => d.Loader is not null).ToList();
    }

    private static LoadedAddon LoadOne(DiscoveredAddon addon, IReadOnlyList<LoadedAddon> dependencies)
    {
        if (string.IsNullOrEmpty(addon.Manifest.Assembly))
        {
            return new LoadedAddon(addon, null, null);
        }

        var path = Path.GetFullPath(Path.Combine(addon.Directory, addon.Manifest.Assembly));
        if (!File.Exists(path))
        {
            throw new AddonLoadException(addon.ManifestPath, $"field 'assembly': '{addon.Manifest.Assembly}' not found at {path}; build the addon or copy its DLLs there.");
        }

        var loader = PluginLoader.CreateFromAssemblyFile(path, [typeof(Addon)], config =>
        {
            config.DefaultContext = new DependencyLoadContext(addon.Name, dependencies);
            foreach (var dependency in dependencies)
            {
                config.SharedAssemblies.Add(dependency.Assembly!.GetName());
            }
        });
        try
        {
            var assembly = loader.LoadDefaultAssembly();
            var entries = assembly.GetExportedTypes().Where(t => t.IsSubclassOf(typeof(Addon)) && !t.IsAbstract).ToList();
            if (entries.Count != 1)
            {
                throw new AddonLoadException(addon.ManifestPath,
                    $"{Path.GetFileName(path)} must hold exactly one public non-abstract PluginHost.Sdk.Addon subclass, found {entries.Count}.");
            }

            return new LoadedAddon(addon, (Addon)Activator.CreateInstance(entries[0])!, loader);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or TypeLoadException or MissingMethodException)
        {
            throw new AddonLoadException(addon.ManifestPath, $"cannot load {path}: {e.Message}", e);
        }
    }
}
