using System.Text.RegularExpressions;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob;

/// <summary>
/// A job function record (<c>queue.job.function</c>): defaults for the jobs of one method, named
/// <c>&lt;model.name&gt;.Method</c>: channel, retry pattern, related action, timeout. Declared in data files with
/// either <c>name</c> or <c>model_name</c> and <c>method</c>; addons declaring the same name share one record.
/// </summary>
[Model("queue.job.function")]
public partial class QueueJobFunction : Model
{
    /// <summary>The job function name of a method: <c>&lt;demo.order&gt;.Confirm</c>.</summary>
    public static string NameOf(string modelName, string method) => $"<{modelName}>.{method}";

    /// <summary>Completes name, model and method from each other, and defaults the channel to root.</summary>
    public override async Task<long> CreateAsync(IReadOnlyDictionary<string, object?> values)
    {
        var complete = Complete(values);
        if (complete.GetValueOrDefault("channel_id") is null)
        {
            complete["channel_id"] = await Env.ScalarAsync<long?>("SELECT id FROM queue_job_channel WHERE complete_name = 'root'")
                ?? throw new InvalidOperationException("The root channel is missing; reinstall queue_job.");
        }

        var id = await base.CreateAsync(complete);
        await SyncChannelAsync();
        return id;
    }

    /// <summary>Writes the functions, keeping name, model and method consistent and the retry pattern valid.</summary>
    public override async Task WriteAsync(IReadOnlyDictionary<string, object?> values)
    {
        CheckSettings(values);
        await base.WriteAsync(values.ContainsKey("name") || values.ContainsKey("model_name") || values.ContainsKey("method") ? Complete(values) : values);
        await SyncChannelAsync();
    }

    /// <summary>The function of the same name declared by another addon.</summary>
    public override async Task<long?> FindMergeTargetAsync(IReadOnlyDictionary<string, object?> values) =>
        await Env.ScalarAsync<long?>("SELECT id FROM queue_job_function WHERE name = $1", Complete(values)["name"]);

    private static Dictionary<string, object?> Complete(IReadOnlyDictionary<string, object?> values)
    {
        CheckSettings(values);
        var result = new Dictionary<string, object?>(values, StringComparer.Ordinal);
        if (values.GetValueOrDefault("name") is string name)
        {
            var match = FunctionName().Match(name);
            if (!match.Success)
            {
                throw new ArgumentException($"Invalid job function name '{name}': expected <model.name>.Method, for example <demo.order>.Confirm.");
            }

            result["model_name"] = match.Groups[1].Value;
            result["method"] = match.Groups[2].Value;
        }
        else if (values.GetValueOrDefault("model_name") is string model && values.GetValueOrDefault("method") is string method)
        {
            result["name"] = NameOf(model, method);
        }
        else
        {
            throw new ArgumentException("A job function needs 'name' (<model.name>.Method) or both 'model_name' and 'method'.");
        }

        return result;
    }

    private static void CheckSettings(IReadOnlyDictionary<string, object?> values)
    {
        if (values.GetValueOrDefault("retry_pattern") is string pattern)
        {
            RetryPattern.Parse(pattern);
        }

        if (values.GetValueOrDefault("related_action") is string relatedAction)
        {
            Internal.RelatedActionConfig.Parse(relatedAction);
        }

        if (values.TryGetValue("timeout", out var timeout) && timeout is not (null or int and > 0 or long and > 0))
        {
            throw new ArgumentException($"Invalid job function timeout '{timeout}': expected whole seconds above 0, or nothing for no limit.");
        }
    }

    private Task SyncChannelAsync() => Env.ExecuteAsync(QueueJobChannel.RecomputeFunctionChannels);

    [GeneratedRegex(@"^<([0-9a-z_\.]+)>\.([0-9a-zA-Z_]+)$")]
    private static partial Regex FunctionName();
}
