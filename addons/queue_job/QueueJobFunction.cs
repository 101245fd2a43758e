using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob;

/// <summary>
/// A job function record (<c>queue.job.function</c>): defaults for the jobs of one method, named
/// <c>&lt;model.name&gt;.Method</c>: channel, retry pattern, related action, timeout. Declared in data files with
/// either <c>name</c> or <c>model_name</c> and <c>method</c>; addons declaring the same name share one record. Checked
/// when written: the model is registered by a loaded addon and the method is a public instance method of its class
/// (stricter than upstream, which checks the model only), and every setting is valid; errors name the field.
/// </summary>
[Model("queue.job.function")]
public partial class QueueJobFunction : Model<QueueJobFunctionRow>
{
    /// <summary>The job function name of a method: <c>&lt;demo.order&gt;.Confirm</c>.</summary>
    public static string NameOf(string modelName, string method) => $"<{modelName}>.{method}";

    /// <summary>Completes name, model and method from each other, and defaults the channel to root.</summary>
    public override async Task<long> CreateAsync(IReadOnlyDictionary<string, object?> values)
    {
        var complete = Complete(values);
        CheckMethod(complete);
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
        var written = values;
        if (values.ContainsKey("name") || values.ContainsKey("model_name") || values.ContainsKey("method"))
        {
            var complete = Complete(values);
            CheckMethod(complete);
            written = complete;
        }
        else
        {
            CheckSettings(values);
        }

        await base.WriteAsync(written);
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

    /// <summary>The model is registered by a loaded addon, and the method is a public instance method of its class.</summary>
    private void CheckMethod(IReadOnlyDictionary<string, object?> complete)
    {
        var (model, method) = ((string)complete["model_name"]!, (string)complete["method"]!);
        if (!Env.Registry.Contains(model))
        {
            throw new ArgumentException($"field 'model_name': no loaded addon registers the model '{model}' (job function {complete["name"]}).");
        }

        var type = Env.Registry[model].Type;
        if (!type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Any(m => m.Name == method))
        {
            throw new ArgumentException($"field 'method': '{method}' is not a public instance method of {type.FullName}, the class of model '{model}' (job function {complete["name"]}).");
        }
    }

    private static void CheckSettings(IReadOnlyDictionary<string, object?> values)
    {
        if (values.GetValueOrDefault("retry_pattern") is string pattern)
        {
            Check("retry_pattern", pattern, () => RetryPattern.Parse(pattern), "{\"1\": 10, \"5\": [20, 30]}");
        }

        if (values.GetValueOrDefault("related_action") is string relatedAction)
        {
            Check("related_action", relatedAction, () => Internal.RelatedActionConfig.Parse(relatedAction), "{\"func_name\": \"open_order\", \"kwargs\": {}}");
        }

        if (values.TryGetValue("timeout", out var timeout) && timeout is not (null or int and > 0 or long and > 0))
        {
            throw new ArgumentException($"Invalid job function timeout '{timeout}': expected whole seconds above 0, or nothing for no limit.");
        }
    }

    /// <summary>Runs a setting's parser; its error, or text that is not JSON, names the field and shows a valid value.</summary>
    private static void Check(string field, string text, Action parse, string example)
    {
        try
        {
            parse();
        }
        catch (JsonException e)
        {
            throw new FormatException($"field '{field}': {text} is not JSON ({e.Message}); expected, for example, {example}.", e);
        }
        catch (FormatException e)
        {
            throw new FormatException($"field '{field}': {e.Message}", e);
        }
    }

    private Task SyncChannelAsync() => Env.ExecuteAsync(QueueJobChannel.RecomputeFunctionChannels);

    [GeneratedRegex(@"^<([0-9a-z_\.]+)>\.([0-9a-zA-Z_]+)$")]
    private static partial Regex FunctionName();
}
