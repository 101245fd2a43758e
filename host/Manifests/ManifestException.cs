namespace PluginHost.Host.Manifests;

/// <summary>A manifest that cannot be used: names the file, the field and what was expected.</summary>
public sealed class ManifestException(string file, string? field, string message)
    : Exception(field is null ? $"{file}: {message}" : $"{file}: field '{field}': {message}")
{
    /// <summary>The manifest file.</summary>
    public string File { get; } = file;

    /// <summary>The offending field, when one is to blame.</summary>
    public string? Field { get; } = field;
}
