using System.Collections;
using System.Globalization;
using System.Text.Json;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Job arguments as JSON, with typed markers where JSON has no type: recordsets
/// (<c>{"_type": "odoo_recordset", "model", "ids", "uid"}</c>), datetimes, dates, decimals and enums.
/// Values round-trip to the parameter types of the job's method.
/// </summary>
internal static class JobArguments
{
    /// <summary>The JSON of one value (an array for a list of values).</summary>
    public static string Serialize(object? value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, value);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>The value of <paramref name="element"/> as a <paramref name="target"/>; recordsets are bound to <paramref name="env"/>.</summary>
    public static object? Deserialize(JsonElement element, Type target, Env env)
    {
        if (element.ValueKind == JsonValueKind.Null)
        {
            return target.IsValueType && Nullable.GetUnderlyingType(target) is null
                ? throw new JsonException($"null is not a valid {target.Name}")
                : null;
        }

        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty("_type", out var marker))
        {
            return Marked(element, marker.GetString(), target, env);
        }

        var underlying = Nullable.GetUnderlyingType(target) ?? target;
        if (underlying != typeof(string) && element.ValueKind == JsonValueKind.Array && ElementType(underlying) is { } itemType)
        {
            var items = element.EnumerateArray().Select(e => Deserialize(e, itemType, env)).ToArray();
            var array = Array.CreateInstance(itemType, items.Length);
            Array.Copy(items, array, items.Length);
            return underlying.IsArray ? array : Activator.CreateInstance(typeof(List<>).MakeGenericType(itemType), array);
        }

        return element.Deserialize(target);
    }

    /// <summary>A stored recordset: <c>model</c>, a registered model's name, and <c>ids</c>, an array of whole numbers; else a <see cref="FormatException"/> naming the field.</summary>
    private static Model Recordset(JsonElement element, Env env)
    {
        var model = element.TryGetProperty("model", out var name) && name.ValueKind == JsonValueKind.String
            ? name.GetString()!
            : throw new FormatException($"field 'model': expected the model's name as a JSON string, got {Given(element, "model")}");
        var ids = element.TryGetProperty("ids", out var list) && list.ValueKind == JsonValueKind.Array
            && list.EnumerateArray().All(i => i.ValueKind == JsonValueKind.Number && i.TryGetInt64(out _))
            ? list.EnumerateArray().Select(i => i.GetInt64())
            : throw new FormatException($"field 'ids': expected a JSON array of record ids (whole numbers), got {Given(element, "ids")}");
        // A model no loaded addon registers is the registry's KeyNotFoundException, naming it and the known ones.
        return env[model].BrowseIds(ids);
    }

    private static string Given(JsonElement element, string field) =>
        element.TryGetProperty(field, out var value) ? value.GetRawText() : "nothing";

    private static object? Marked(JsonElement element, string? marker, Type target, Env env)
    {
        var underlying = Nullable.GetUnderlyingType(target) ?? target;
        var value = element.TryGetProperty("value", out var v) ? v : default;
        object result = marker switch
        {
            "odoo_recordset" => Recordset(element, env),
            "datetime_isoformat" => DateTime.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
            "date_isoformat" => DateOnly.Parse(value.GetString()!, CultureInfo.InvariantCulture),
            "decimal" => decimal.Parse(value.GetString()!, CultureInfo.InvariantCulture),
            "enum" when underlying.IsEnum => Enum.Parse(underlying, value.GetString()!),
            _ => throw new JsonException($"unknown typed value '{marker}' for a {target.Name}"),
        };
        return underlying.IsInstanceOfType(result)
            ? result
            : throw new JsonException($"a stored {marker} ({result}) is not a {target.Name}");
    }

    private static Type? ElementType(Type type)
    {
        if (type.IsArray)
        {
            return type.GetElementType();
        }

        return type.IsGenericType && type.GetGenericTypeDefinition() is var definition
            && (definition == typeof(List<>) || definition == typeof(IReadOnlyList<>) || definition == typeof(IList<>) || definition == typeof(IEnumerable<>))
            ? type.GetGenericArguments()[0]
            : null;
    }

    private static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null:
                writer.WriteNullValue();
                break;
            case Model records:
                writer.WriteStartObject();
                writer.WriteString("_type", "odoo_recordset");
                writer.WriteString("model", records.Info.Name);
                writer.WritePropertyName("ids");
                JsonSerializer.Serialize(writer, records.Ids);
                writer.WriteNumber("uid", records.Env.Uid);
                writer.WriteEndObject();
                break;
            case DateTime dateTime:
                WriteMarked(writer, "datetime_isoformat", dateTime.ToString("O", CultureInfo.InvariantCulture));
                break;
            case DateOnly date:
                WriteMarked(writer, "date_isoformat", date.ToString("O", CultureInfo.InvariantCulture));
                break;
            case decimal number:
                WriteMarked(writer, "decimal", number.ToString(CultureInfo.InvariantCulture));
                break;
            case Enum enumValue:
                WriteMarked(writer, "enum", enumValue.ToString());
                break;
            case string or bool or int or long or short or byte or double or float or Guid:
                JsonSerializer.Serialize(writer, value, value.GetType());
                break;
            case IDictionary dictionary:
                writer.WriteStartObject();
                foreach (DictionaryEntry entry in dictionary)
                {
                    writer.WritePropertyName(Convert.ToString(entry.Key, CultureInfo.InvariantCulture)!);
                    Write(writer, entry.Value);
                }

                writer.WriteEndObject();
                break;
            case IEnumerable sequence:
                writer.WriteStartArray();
                foreach (var item in sequence)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            default:
                JsonSerializer.Serialize(writer, value, value.GetType());
                break;
        }
    }

    private static void WriteMarked(Utf8JsonWriter writer, string marker, string value)
    {
        writer.WriteStartObject();
        writer.WriteString("_type", marker);
        writer.WriteString("value", value);
        writer.WriteEndObject();
    }
}
