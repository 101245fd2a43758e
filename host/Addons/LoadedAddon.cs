using System.Reflection;
using McMaster.NETCore.Plugins;
using PluginHost.Sdk;

namespace PluginHost.Host.Addons;

/// <summary>An addon whose assembly is loaded in its own load context (or a data-only addon, without one).</summary>
/// <param name="Discovered">The addon folder and manifest.</param>
/// <param name="Entry">The addon's entry point, null for a data-only addon.</param>
/// <param name="Loader">The plugin loader owning the addon's load context, null for a data-only addon.</param>
public sealed record LoadedAddon(DiscoveredAddon Discovered, Addon? Entry, PluginLoader? Loader)
{
    /// <summary>The technical name.</summary>
    public string Name => Discovered.Name;

    /// <summary>The main assembly, null for a data-only addon.</summary>
    public Assembly? Assembly => Entry?.GetType().Assembly;
}
