using System.Data;
using System.Text.Json;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// <c>host queue channels</c> and <c>host queue functions</c>: one line per channel or job function record, with the
/// addons whose manifests or data files declare it (their external ids in <c>ir_model_data</c>; a record merged by name has one per
/// addon). Capacities are not records: they come from the runner's <c>channels</c> string.
/// </summary>
internal static partial class QueueCommand
{
    private const string None = "—";

    private const string Channels = """
        SELECT coalesce(c.complete_name, c.name) AS channel,
               c.removal_interval,
               string_agg(DISTINCT d.module, ', ' ORDER BY d.module) AS declared_by
        FROM queue_job_channel c
        LEFT JOIN ir_model_data d ON d.model = 'queue.job.channel' AND d.res_id = c.id
        GROUP BY c.id
        ORDER BY channel
        """;

    private const string Functions = """
        SELECT f.name,
               coalesce(c.complete_name, c.name) AS channel,
               f.retry_pattern::text AS retry_pattern,
               f.related_action::text AS related_action,
               f.timeout,
               string_agg(DISTINCT d.module, ', ' ORDER BY d.module) AS declared_by
        FROM queue_job_function f
        JOIN queue_job_channel c ON c.id = f.channel_id
        LEFT JOIN ir_model_data d ON d.model = 'queue.job.function' AND d.res_id = f.id
        GROUP BY f.id, c.id
        ORDER BY f.name
        """;

    private static async Task<int> ChannelsAsync(Env env, TextWriter output)
    {
        await using var query = env.CreateCommand(Channels);
        await using var reader = await query.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            var days = reader.GetFieldValue<int>("removal_interval");
            rows.Add([reader.GetFieldValue<string>("channel"), days == 1 ? "1 day" : $"{days} days", FieldOr(reader, "declared_by", None)]);
        }

        await TextTable.WriteAsync(output, ["channel", "removal interval", "declared by"], rows);
        return 0;
    }

    private static async Task<int> FunctionsAsync(Env env, TextWriter output)
    {
        await using var query = env.CreateCommand(Functions);
        await using var reader = await query.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            var timeout = reader.GetOrdinal("timeout");
            rows.Add([
                reader.GetFieldValue<string>("name"), reader.GetFieldValue<string>("channel"), RetryPatternText(reader.GetFieldValue<string>("retry_pattern")),
                RelatedActionText(reader.GetFieldValue<string>("related_action")), reader.IsDBNull(timeout) ? None : $"{reader.GetInt32(timeout)} s",
                FieldOr(reader, "declared_by", None),
            ]);
        }

        await TextTable.WriteAsync(output, ["function", "channel", "retry pattern", "related action", "timeout", "declared by"], rows);
        return 0;
    }

    /// <summary>A stored retry pattern as data files write it, <c>{1: 10, 5: [20, 30]}</c>; "—" for none.</summary>
    private static string RetryPatternText(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            return json;
        }

        var steps = document.RootElement.EnumerateObject().Select(step => $"{step.Name}: {step.Value.GetRawText()}").ToList();
        return steps.Count == 0 ? None : $"{{{string.Join(", ", steps)}}}";
    }

    /// <summary>
    /// A stored related action: "off" when disabled, else the registered action's name ("default" for
    /// <see cref="RelatedAction.DefaultName"/> taken by default) followed by its kwargs, if any.
    /// </summary>
    private static string RelatedActionText(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return json;
        }

        if (root.TryGetProperty("enable", out var enable) && enable.ValueKind == JsonValueKind.False)
        {
            return "off";
        }

        var name = root.TryGetProperty("func_name", out var funcName) && funcName.ValueKind == JsonValueKind.String ? funcName.GetString()! : "default";
        return root.TryGetProperty("kwargs", out var kwargs) && kwargs.ValueKind == JsonValueKind.Object && kwargs.EnumerateObject().Any()
            ? $"{name} {kwargs.GetRawText()}"
            : name;
    }
}
