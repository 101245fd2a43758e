using System.Text.Json;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>Plain .NET values of JSON: string, long, double, bool, null, lists and string-keyed dictionaries.</summary>
internal static class JsonValues
{
    public static object? ToObject(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number => element.TryGetInt64(out var integer) ? integer : element.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array => element.EnumerateArray().Select(ToObject).ToList(),
        JsonValueKind.Object => element.EnumerateObject().ToDictionary(p => p.Name, p => ToObject(p.Value)),
        _ => null,
    };
}
