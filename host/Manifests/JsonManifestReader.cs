using System.Text.Json;
using PluginHost.Sdk;

namespace PluginHost.Host.Manifests;

/// <summary>Reads <c>manifest.json</c>: one object whose keys are the manifest fields.</summary>
public sealed class JsonManifestReader : IManifestReader
{
    public string FileName => "manifest.json";

    public AddonManifest Read(string path)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ManifestException(path, null, $"invalid JSON at line {e.LineNumber + 1}: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ManifestException(path, null, "expected a JSON object with the manifest fields.");
            }

            var values = new Dictionary<string, object>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var field = ManifestSchema.Field(path, property.Name);
                values[field.Name] = Convert(path, field, property.Value);
            }

            return ManifestSchema.Bind(path, values);
        }
    }

    private static object Convert(string path, ManifestField field, JsonElement value) => (field.Kind, value.ValueKind) switch
    {
        (ManifestFieldKind.Text, JsonValueKind.String) => value.GetString()!,
        (ManifestFieldKind.Boolean, JsonValueKind.True or JsonValueKind.False) => value.GetBoolean(),
        (ManifestFieldKind.TextList, JsonValueKind.Array) when value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            => value.EnumerateArray().Select(e => e.GetString()!).ToList(),
        (ManifestFieldKind.EntryList, JsonValueKind.Array) when value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Object)
            => value.EnumerateArray().Select((e, i) => Entry(path, field, e, i)).ToList(),
        _ => throw new ManifestException(path, field.Name, $"expected {field.Expected} ({Describe(field.Kind)}), got {value.ValueKind.ToString().ToLowerInvariant()} {value.GetRawText()}."),
    };

    /// <summary>An object of the list: strings as they are, numbers, objects and arrays as their JSON text.</summary>
    private static ManifestEntry Entry(string path, ManifestField field, JsonElement entry, int index)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in entry.EnumerateObject())
        {
            values[property.Name] = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.Number or JsonValueKind.Object or JsonValueKind.Array => property.Value.GetRawText(),
                _ => throw new ManifestException(path, field.Name,
                    $"entry {index + 1}: key '{property.Name}': expected a string, a number or an object, got {property.Value.ValueKind.ToString().ToLowerInvariant()}."),
            };
        }

        return new ManifestEntry(values, "");
    }

    private static string Describe(ManifestFieldKind kind) => kind switch
    {
        ManifestFieldKind.Text => "a JSON string",
        ManifestFieldKind.TextList => "a JSON array of strings",
        ManifestFieldKind.EntryList => "a JSON array of objects",
        _ => "JSON true or false",
    };
}
