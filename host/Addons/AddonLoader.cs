using System.Reflection;
using System.Runtime.Loader;
using McMaster.NETCore.Plugins;
using PluginHost.Sdk;

namespace PluginHost.Host.Addons;

/// <summary>
/// Loads addon assemblies with McMaster.NETCore.Plugins, in dependency order, one load context each.
/// The sdk is shared with the host; the addons an addon depends on are shared with it; its other
/// libraries stay private, so two addons may bundle two versions of one library. An addon assembly the
/// host process itself was built with (a test project referencing addons) is taken from the host's
/// context, so that process calls the addon's API with the same types.
/// </summary>
public static class AddonLoader
{
    /// <summary>
    /// Loads the addons, which must be in dependency order and include their dependencies; those in
    /// <paramref name="already"/> (loaded earlier, with their dependencies) are taken as they are.
    /// </summary>
    public static IReadOnlyList<LoadedAddon> Load(IReadOnlyList<DiscoveredAddon> ordered, IReadOnlyList<LoadedAddon>? already = null)
    {
        var loaded = (already ?? []).ToDictionary(a => a.Name, StringComparer.Ordinal);
        foreach (var addon in ordered.Where(a => !loaded.ContainsKey(a.Name)))
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

        return result.Where(d => d.Entry is not null).ToList();
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

        if (HostBuiltWith(Path.GetFileNameWithoutExtension(path)) is { } shared)
        {
            return new LoadedAddon(addon, CreateEntry(addon, shared, path), null);
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
            return new LoadedAddon(addon, CreateEntry(addon, loader.LoadDefaultAssembly(), path), loader);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException or TypeLoadException or MissingMethodException)
        {
            throw new AddonLoadException(addon.ManifestPath, $"cannot load {path}: {e.Message}", e);
        }
    }

    /// <summary>
    /// Creates the addon's entry point and reads its migrations once, so a constructor that throws or a misnamed or
    /// duplicated migration stops the load naming the manifest.
    /// </summary>
    private static Addon CreateEntry(DiscoveredAddon addon, Assembly assembly, string path)
    {
        var entries = assembly.GetExportedTypes().Where(t => t.IsSubclassOf(typeof(Addon)) && !t.IsAbstract).ToList();
        if (entries.Count != 1)
        {
            throw new AddonLoadException(addon.ManifestPath,
                $"{Path.GetFileName(path)} must hold exactly one public non-abstract PluginHost.Sdk.Addon subclass, found {entries.Count}.");
        }

        Addon entry;
        try
        {
            entry = (Addon)Activator.CreateInstance(entries[0])!;
        }
        catch (TargetInvocationException e) when (e.InnerException is { } error)
        {
            throw new AddonLoadException(addon.ManifestPath, $"addon '{addon.Name}': the constructor of {entries[0].FullName} threw {error.GetType().Name}: {error.Message}", error);
        }

        try
        {
            _ = entry.Migrations.ToList();
        }
        catch (InvalidOperationException e)
        {
            throw new AddonLoadException(addon.ManifestPath, $"addon '{addon.Name}': {e.Message}", e);
        }

        return entry;
    }

    private static Assembly? HostBuiltWith(string assemblyName)
    {
        var trusted = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? "";
        return trusted.Split(Path.PathSeparator).Any(p => Path.GetFileNameWithoutExtension(p) == assemblyName)
            ? AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName(assemblyName))
            : null;
    }
}
