using PluginHost.Sdk;

namespace PluginHost.Host.Manifests;

/// <summary>Reads one manifest format into the shared <see cref="AddonManifest"/> model.</summary>
public interface IManifestReader
{
    /// <summary>The manifest file name this reader handles (<c>manifest.json</c>).</summary>
    string FileName { get; }

    /// <summary>Parses and validates the file; throws <see cref="ManifestException"/> naming the file and field.</summary>
    AddonManifest Read(string path);
}
