namespace PluginHost.Host.Manifests;

/// <summary>One entry of a manifest's list of objects (<c>job_functions</c>): its keys with their text, and where it is.</summary>
/// <param name="Values">Each key's value as text: a JSON string as is, other JSON values as JSON text; an XML element's trimmed text.</param>
/// <param name="Where">Where the entry is, for errors (<c> (line 12)</c>), or empty.</param>
public sealed record ManifestEntry(IReadOnlyDictionary<string, string> Values, string Where);
