namespace PluginHost.Host.Manifests;

/// <summary>The kinds of value a manifest field holds.</summary>
public enum ManifestFieldKind
{
    /// <summary>A string.</summary>
    Text,

    /// <summary>A list of strings.</summary>
    TextList,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>A list of objects, each of keys with text values (<see cref="ManifestEntry"/>).</summary>
    EntryList,
}

/// <summary>One field of the manifest schema, shared by the JSON and XML readers.</summary>
public sealed record ManifestField(string Name, ManifestFieldKind Kind, bool Required, string Expected);
