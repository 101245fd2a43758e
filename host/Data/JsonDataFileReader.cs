using System.Text.Json;
using System.Text.Json.Nodes;
using PluginHost.Sdk;

namespace PluginHost.Host.Data;

/// <summary>
/// Reads the JSON form of data files: <c>{"noupdate": false, "records": [{"id", "model", "noupdate", "fields": {...}}]}</c>.
/// A field value <c>{"ref": "module.name"}</c> or <c>{"eval": "..."}</c> is a reference or expression; any
/// other JSON value is taken as it is (objects and arrays are stored as JSON).
/// </summary>
public sealed class JsonDataFileReader : IDataFileReader
{
    public string Extension => ".json";

    public IReadOnlyList<DataRecord> Read(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path),
                documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            // A key given twice in one object is reported without a line.
            throw new DataFileException(path, $"invalid JSON{(e.LineNumber is { } line ? $" at line {line + 1}" : "")}: {e.Message}");
        }

        if (root is not JsonObject file || file["records"] is not JsonArray records)
        {
            throw new DataFileException(path, "expected an object with a \"records\" array.");
        }

        var fileNoUpdate = Flag(path, file, "noupdate");
        return records.Select((node, index) => Record($"{path}: records[{index}]", node, fileNoUpdate)).ToList();
    }

    private static DataRecord Record(string location, JsonNode? node, bool fileNoUpdate)
    {
        if (node is not JsonObject record)
        {
            throw new DataFileException(location, "expected an object with \"id\", \"model\" and \"fields\".");
        }

        foreach (var key in record.Select(p => p.Key).Where(k => k is not ("id" or "model" or "noupdate" or "fields")))
        {
            throw new DataFileException(location, $"unknown key '{key}'; expected id, model, noupdate, fields.");
        }

        var id = Text(location, record, "id");
        var model = Text(location, record, "model");
        location = $"{location} (record '{id}')";
        if (record["fields"] is not JsonObject fields)
        {
            throw new DataFileException(location, "expected \"fields\": an object of field values.");
        }

        var values = fields.Select(p => Field(p.Key, p.Value)).ToList();
        return new DataRecord(id, model, fileNoUpdate || Flag(location, record, "noupdate"), values, location);
    }

    private static DataField Field(string name, JsonNode? value) => value switch
    {
        JsonObject { Count: 1 } o when o["ref"] is JsonValue r && r.TryGetValue<string>(out var reference) => new DataField(name, DataValueKind.Ref, reference),
        JsonObject { Count: 1 } o when o["eval"] is JsonValue e && e.TryGetValue<string>(out var expression) => new DataField(name, DataValueKind.Eval, expression),
        null => new DataField(name, DataValueKind.Literal, null),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => new DataField(name, DataValueKind.Literal, v.GetValue<string>()),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => new DataField(name, DataValueKind.Literal, v.GetValue<bool>()),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => new DataField(name, DataValueKind.Literal, v.TryGetValue<long>(out var l) ? l : v.GetValue<double>()),
        _ => new DataField(name, DataValueKind.Literal, value.ToJsonString()),
    };

    private static string Text(string location, JsonObject record, string key) =>
        record[key] is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw new DataFileException(location, $"expected \"{key}\": a non-empty string.");

    private static bool Flag(string location, JsonObject record, string key) => record[key] switch
    {
        null => false,
        JsonValue v when v.TryGetValue<bool>(out var flag) => flag,
        var other => throw new DataFileException(location, $"\"{key}\": expected true or false, got {other.ToJsonString()}."),
    };
}
