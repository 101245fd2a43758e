using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using PluginHost.Sdk;

namespace PluginHost.Host.Cli;

/// <summary>
/// Makes the System.CommandLine option of a declared <see cref="AddonCommandOption"/>: its value converted by kind and
/// checked, each error naming the option and what was expected (<c>--priority: expected an integer, got 'x'</c>).
/// </summary>
internal static class AddonOption
{
    public static Option Create(AddonCommandOption declared)
    {
        Option option = declared.Kind switch
        {
            OptionValueKind.Switch => new Option<bool>(declared.Name, [.. declared.Aliases]) { Arity = ArgumentArity.Zero },
            OptionValueKind.Integer => new Option<int?>(declared.Name, [.. declared.Aliases]) { CustomParser = result => Integer(declared, result) },
            OptionValueKind.IntegerList => new Option<IReadOnlyList<long>>(declared.Name, [.. declared.Aliases]) { CustomParser = result => Integers(declared, result) },
            _ => new Option<string>(declared.Name, [.. declared.Aliases]),
        };
        option.Description = declared.AllowedValues.Count > 0 ? $"{declared.Help}: {string.Join(", ", declared.AllowedValues)}" : declared.Help;
        option.HelpName = declared.Kind == OptionValueKind.Switch ? null : declared.ValueName;
        if (declared.AllowedValues.Count > 0)
        {
            option.CompletionSources.Add([.. declared.AllowedValues]);
            option.Validators.Add(result => AllowedValue(declared, result));
        }

        if (declared.Check is { } check)
        {
            option.Validators.Add(result =>
            {
                if (Token(result) is { } text && check(text) is { } error)
                {
                    result.AddError($"{declared.Name}: {error}");
                }
            });
        }

        return option;
    }

    private static int? Integer(AddonCommandOption declared, ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            result.AddError($"{declared.Name}: expected an integer, got '{text}'");
            return null;
        }

        if (value < declared.Minimum)
        {
            result.AddError($"{declared.Name}: expected an integer of at least {declared.Minimum}, got '{text}'");
            return null;
        }

        return value;
    }

    private static IReadOnlyList<long> Integers(AddonCommandOption declared, ArgumentResult result)
    {
        var text = result.Tokens.Single().Value;
        var values = new List<long>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!long.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            {
                result.AddError($"{declared.Name}: expected comma-separated integers such as 1,2,3, got '{text}'");
                return [];
            }

            values.Add(value);
        }

        return values;
    }

    private static void AllowedValue(AddonCommandOption declared, OptionResult result)
    {
        if (Token(result) is { } text && !declared.AllowedValues.Contains(text, StringComparer.Ordinal))
        {
            result.AddError($"{declared.Name}: expected one of {string.Join(", ", declared.AllowedValues)}, got '{text}'");
        }
    }

    private static string? Token(OptionResult result) => result.Tokens.Count > 0 ? result.Tokens[^1].Value : null;
}
