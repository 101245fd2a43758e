namespace PluginHost.Host.Addons;

/// <summary>An addon's assembly could not be loaded or has no usable entry point; names the manifest.</summary>
public sealed class AddonLoadException(string manifestPath, string message, Exception? inner = null)
    : Exception($"{manifestPath}: {message}", inner);
