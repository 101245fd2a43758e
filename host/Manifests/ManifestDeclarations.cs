using System.Globalization;
using System.Text.RegularExpressions;
using PluginHost.Host.Data;
using PluginHost.Host.Text;
using PluginHost.Sdk;

namespace PluginHost.Host.Manifests;

/// <summary>
/// The job channels and functions a manifest declares (<c>channels</c>, <c>job_functions</c>), checked for shape when
/// it is read, with errors naming the manifest, the entry and the field: complete channel names, known keys, a model
/// and method name, a retry pattern and related action in the data files' literal syntax, a timeout above 0, and no
/// entry twice. Whether the model and method exist is checked at install and update, by queue_job.
/// </summary>
public static partial class ManifestDeclarations
{
    /// <summary>The keys of a <c>job_functions</c> entry.</summary>
    public static readonly IReadOnlyList<string> JobFunctionKeys = ["model", "method", "channel", "retry_pattern", "related_action", "timeout"];

    private static readonly string[] RelatedActionKeys = ["enable", "func_name", "kwargs"];

    /// <summary>The <c>channels</c> entries, each a complete channel name, none twice.</summary>
    public static IReadOnlyList<string> Channels(string file, IReadOnlyList<string> names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, index) in names.Select((n, i) => (n, i)))
        {
            CheckChannel(file, "channels", $"entry {index + 1} '{name}'", name);
            if (!seen.Add(name))
            {
                throw new ManifestException(file, "channels", $"entry {index + 1} '{name}' is given twice.");
            }
        }

        return names;
    }

    /// <summary>The <c>job_functions</c> entries (key → text, as each reader gives them), checked and typed.</summary>
    public static IReadOnlyList<ManifestJobFunction> JobFunctions(string file, IReadOnlyList<ManifestEntry> entries)
    {
        var functions = new List<ManifestJobFunction>();
        foreach (var (entry, index) in entries.Select((e, i) => (e, i)))
        {
            var where = $"entry {index + 1}{entry.Where}";
            foreach (var key in entry.Values.Keys.Where(k => !JobFunctionKeys.Contains(k)))
            {
                throw new ManifestException(file, "job_functions",
                    $"{where}: unknown key '{key}'{ClosestName.Hint(key, JobFunctionKeys)}. Expected: {string.Join(", ", JobFunctionKeys)}.");
            }

            var model = Required(file, where, entry, "model", ModelName(), "a model name such as \"shop.order\"");
            var method = Required(file, where, entry, "method", MethodName(), "a method name such as \"ConfirmAsync\"");
            where = $"entry {index + 1} (<{model}>.{method}){entry.Where}";
            var channel = entry.Values.GetValueOrDefault("channel");
            if (channel is not null)
            {
                CheckChannel(file, "job_functions", $"{where}: key 'channel'", channel);
            }

            var function = new ManifestJobFunction(model, method, channel,
                Literal(file, where, entry, "retry_pattern", CheckRetryPattern),
                Literal(file, where, entry, "related_action", CheckRelatedAction),
                Timeout(file, where, entry));
            if (functions.FirstOrDefault(f => f.Name == function.Name) is not null)
            {
                throw new ManifestException(file, "job_functions", $"{where}: {function.Name} is declared twice.");
            }

            functions.Add(function);
        }

        return functions;
    }

    /// <summary>A complete channel name: <c>root</c>, or dotted below it (<c>root.shop.priority</c>).</summary>
    private static void CheckChannel(string file, string field, string where, string name)
    {
        if (!ChannelName().IsMatch(name))
        {
            throw new ManifestException(file, field, $"{where}: '{name}' is not a channel name: names separated by dots, without spaces.");
        }

        if (name != "root" && !name.StartsWith("root.", StringComparison.Ordinal))
        {
            var meant = name.StartsWith("root", StringComparison.OrdinalIgnoreCase) && (name.Length == 4 || name[4] == '.') ? $"root{name[4..]}" : $"root.{name}";
            throw new ManifestException(file, field, $"{where}: '{name}' is not a complete channel name; channels are named from root (did you mean '{meant}'?).");
        }
    }

    private static string Required(string file, string where, ManifestEntry entry, string key, Regex pattern, string expected)
    {
        var value = entry.Values.GetValueOrDefault(key)
            ?? throw new ManifestException(file, "job_functions", $"{where}: key '{key}' is required: expected {expected}.");
        return pattern.IsMatch(value)
            ? value
            : throw new ManifestException(file, "job_functions", $"{where}: key '{key}': '{value}' is not {expected}.");
    }

    /// <summary>The literal text of <paramref name="key"/>, parsed and checked by <paramref name="check"/> (which names what is wrong).</summary>
    private static string? Literal(string file, string where, ManifestEntry entry, string key, Func<object?, string?> check)
    {
        if (entry.Values.GetValueOrDefault(key) is not { } text)
        {
            return null;
        }

        object? value;
        try
        {
            value = LiteralParser.Parse(text);
        }
        catch (FormatException e)
        {
            throw new ManifestException(file, "job_functions", $"{where}: key '{key}': '{text}' is not a literal: {e.Message.TrimEnd('.')}.");
        }

        return check(value) is { } problem
            ? throw new ManifestException(file, "job_functions", $"{where}: key '{key}': {problem}")
            : text;
    }

    /// <summary>As a data record's: try numbers (0 or more) to seconds (0 or more) or a <c>[min, max]</c> range.</summary>
    private static string? CheckRetryPattern(object? value)
    {
        if (value is not Dictionary<string, object?> pattern)
        {
            return "expected an object of try numbers to seconds, such as {\"1\": 10, \"5\": 60}.";
        }

        foreach (var (key, seconds) in pattern)
        {
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                return $"try number '{key}' is not a whole number, 0 or more.";
            }

            var fits = seconds switch
            {
                long or double => Convert.ToDouble(seconds, CultureInfo.InvariantCulture) >= 0,
                List<object?> { Count: 2 } range when range.All(r => r is long or double) =>
                    Convert.ToDouble(range[0], CultureInfo.InvariantCulture) is var low and >= 0 && Convert.ToDouble(range[1], CultureInfo.InvariantCulture) >= low,
                _ => false,
            };
            if (!fits)
            {
                return $"try {key}: expected seconds (0 or more) or a [min, max] range, got {Describe(seconds)}.";
            }
        }

        return null;
    }

    /// <summary>An object with <c>enable</c> (true or false), <c>func_name</c> (text) and <c>kwargs</c> (an object), each optional.</summary>
    private static string? CheckRelatedAction(object? value)
    {
        if (value is not Dictionary<string, object?> action)
        {
            return "expected an object such as {\"func_name\": \"open_order\"}.";
        }

        if (action.Keys.FirstOrDefault(k => !RelatedActionKeys.Contains(k)) is { } unknown)
        {
            return $"unknown key '{unknown}'{ClosestName.Hint(unknown, RelatedActionKeys)}. Expected: {string.Join(", ", RelatedActionKeys)}.";
        }

        return (action.GetValueOrDefault("enable"), action.GetValueOrDefault("func_name"), action.GetValueOrDefault("kwargs")) switch
        {
            (not (null or bool), _, _) => "'enable': expected true or false.",
            (_, not (null or string), _) => "'func_name': expected the name of a registered related action.",
            (_, _, not (null or Dictionary<string, object?>)) => "'kwargs': expected an object of arguments.",
            _ => null,
        };
    }

    private static int? Timeout(string file, string where, ManifestEntry entry) =>
        entry.Values.GetValueOrDefault("timeout") is not { } text ? null
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? seconds
        : throw new ManifestException(file, "job_functions", $"{where}: key 'timeout': expected whole seconds above 0, got '{text}'.");

    private static string Describe(object? value) => value switch
    {
        null => "nothing",
        string text => $"'{text}'",
        List<object?> list => $"a list of {list.Count}",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    [GeneratedRegex(@"^[^.\s]+(\.[^.\s]+)*\z")]
    private static partial Regex ChannelName();

    [GeneratedRegex(@"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\z")]
    private static partial Regex ModelName();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z")]
    private static partial Regex MethodName();
}
