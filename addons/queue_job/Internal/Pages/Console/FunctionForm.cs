using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The editable fields of a job function as posted by its form: the channel (a record id), the retry pattern and the
/// related action (JSON; blank is <c>{}</c>, none). <see cref="Errors"/> names each field that is wrong and what it
/// expects, checked as the job function model and the executor read them, so nothing is stored that they refuse.
/// </summary>
internal sealed record FunctionForm(string ChannelId, string RetryPattern, string RelatedAction)
{
    public const string RetryPatternExample = """{"1": 10, "5": 60}""";
    public const string RelatedActionExample = """{"func_name": "related_action_open_record", "kwargs": {}}""";

    public static FunctionForm From(IFormCollection form) =>
        new(form["channel_id"].ToString().Trim(), form["retry_pattern"].ToString().Trim(), form["related_action"].ToString().Trim());

    /// <summary>The values to write, once <see cref="Errors"/> is empty.</summary>
    public IReadOnlyDictionary<string, object?> Values => new Dictionary<string, object?>(StringComparer.Ordinal)
    {
        ["channel_id"] = long.Parse(ChannelId, System.Globalization.CultureInfo.InvariantCulture),
        ["retry_pattern"] = OrEmpty(RetryPattern),
        ["related_action"] = OrEmpty(RelatedAction),
    };

    /// <summary>What is wrong, by field name; empty when the form may be stored.</summary>
    public IReadOnlyDictionary<string, string> Errors(IReadOnlyCollection<long> channelIds, IEnumerable<string> relatedActionNames)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!long.TryParse(ChannelId, out var channel) || !channelIds.Contains(channel))
        {
            errors["channel_id"] = $"Channel: expected one of the channels listed, got '{ChannelId}'.";
        }

        if (Problem(() => PluginHost.Addons.QueueJob.RetryPattern.Parse(OrEmpty(RetryPattern))) is { } pattern)
        {
            errors["retry_pattern"] = $"Retry pattern: {pattern} Expected a JSON object of try numbers to seconds (or [min, max] seconds), such as {RetryPatternExample}.";
        }

        if (RelatedActionProblem(relatedActionNames) is { } action)
        {
            errors["related_action"] = $"Related action: {action} Expected a JSON object with enable, func_name and kwargs, such as {RelatedActionExample}.";
        }

        return errors;
    }

    private string? RelatedActionProblem(IEnumerable<string> names)
    {
        RelatedActionConfig? config = null;
        if (Problem(() => config = RelatedActionConfig.Parse(OrEmpty(RelatedAction))) is { } problem)
        {
            return problem;
        }

        var known = names.ToList();
        return config!.Enable && !known.Contains(config.FuncName, StringComparer.Ordinal)
            ? $"func_name '{config.FuncName}' is registered by no loaded addon (known: {string.Join(", ", known)})."
            : null;
    }

    /// <summary>The message of the parser's error, or null when <paramref name="parse"/> accepts the text.</summary>
    private static string? Problem(Action parse)
    {
        try
        {
            parse();
            return null;
        }
        catch (JsonException e)
        {
            return $"not JSON ({e.Message}).";
        }
        catch (FormatException e)
        {
            return e.Message;
        }
    }

    private static string OrEmpty(string json) => json.Length == 0 ? "{}" : json;
}
