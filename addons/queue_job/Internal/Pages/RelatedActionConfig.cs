using System.Text.Json;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>A job function's <c>related_action</c>: <c>{"enable": bool, "func_name": str, "kwargs": dict}</c>, nothing else.</summary>
internal sealed record RelatedActionConfig(bool Enable, string FuncName, IReadOnlyDictionary<string, object?> Kwargs)
{
    private static readonly string[] Keys = ["enable", "func_name", "kwargs"];

    /// <summary>Reads the stored JSON; an unknown key or a value of the wrong kind is an error naming it.</summary>
    public static RelatedActionConfig Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"related action {json}: expected an object with enable, func_name, kwargs.");
        }

        foreach (var property in root.EnumerateObject().Where(p => !Keys.Contains(p.Name)))
        {
            throw new FormatException($"related action {json}: unknown key '{property.Name}'; expected enable, func_name, kwargs.");
        }

        var enable = !root.TryGetProperty("enable", out var e) || e.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new FormatException($"related action {json}: 'enable' must be true or false."),
        };
        var name = root.TryGetProperty("func_name", out var f) && f.ValueKind != JsonValueKind.Null
            ? f.ValueKind == JsonValueKind.String ? f.GetString()! : throw new FormatException($"related action {json}: 'func_name' must be a string.")
            : RelatedAction.DefaultName;
        var kwargs = root.TryGetProperty("kwargs", out var k) && k.ValueKind != JsonValueKind.Null
            ? k.ValueKind == JsonValueKind.Object
                ? k.EnumerateObject().ToDictionary(p => p.Name, p => JsonValues.ToObject(p.Value))
                : throw new FormatException($"related action {json}: 'kwargs' must be an object.")
            : new Dictionary<string, object?>();
        return new RelatedActionConfig(enable, name, kwargs);
    }
}
