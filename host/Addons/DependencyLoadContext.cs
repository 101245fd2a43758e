using System.Reflection;
using System.Runtime.Loader;

namespace PluginHost.Host.Addons;

/// <summary>
/// The fallback load context of one addon: resolves the assemblies of the addons it depends on from
/// their own load contexts, so their public types keep one identity; everything else falls through to
/// the host's context (the sdk, the framework).
/// </summary>
internal sealed class DependencyLoadContext(string addonName, IReadOnlyList<LoadedAddon> dependencies)
    : AssemblyLoadContext($"{addonName}.dependencies")
{
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        foreach (var dependency in dependencies)
        {
            if (AssemblyName.ReferenceMatchesDefinition(dependency.Assembly!.GetName(), assemblyName))
            {
                return dependency.Assembly;
            }
        }

        foreach (var dependency in dependencies.Where(d => d.Loader is not null))
        {
            var folder = Path.GetDirectoryName(dependency.Assembly!.Location)!;
            if (File.Exists(Path.Combine(folder, assemblyName.Name + ".dll")))
            {
                return dependency.Loader!.LoadAssembly(assemblyName);
            }
        }

        return null;
    }
}
