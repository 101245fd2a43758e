using PluginHost.Sdk;

namespace PluginHost.Host.Addons;

/// <summary>An addon folder found on the addons path, with its validated manifest.</summary>
/// <param name="Manifest">The manifest.</param>
/// <param name="Directory">Absolute path of the addon folder.</param>
/// <param name="ManifestPath">The manifest file, named in every error about this addon.</param>
public sealed record DiscoveredAddon(AddonManifest Manifest, string Directory, string ManifestPath)
{
    /// <summary>The technical name.</summary>
    public string Name => Manifest.Name;
}
