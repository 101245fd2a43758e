using System.CommandLine;
using PluginHost.Sdk;

namespace PluginHost.Host.Cli;

/// <summary>An addon command as System.CommandLine knows it: its declaration and the options and arguments made of it.</summary>
/// <param name="Addon">The addon declaring the top-level command.</param>
/// <param name="Path">The words after <c>host</c>, <c>queue enqueue</c>.</param>
/// <param name="Declaration">The addon's declaration of this (sub-)command.</param>
/// <param name="Options">The options made of the declared ones, by declared name.</param>
/// <param name="Arguments">The arguments made of the declared ones, by declared name.</param>
internal sealed record CommandNode(string Addon, string Path, AddonCommand Declaration, IReadOnlyDictionary<string, Option> Options,
    IReadOnlyDictionary<string, Argument> Arguments)
{
    /// <summary>The values parsed for every declared option and argument, null where not given.</summary>
    public ParsedCommand Values(ParseResult result)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var declared in Declaration.Options)
        {
            var option = Options[declared.Name];
            values[declared.Name] = !CommandLine.IsGiven(result, option) ? null : declared.Kind switch
            {
                OptionValueKind.Switch => true,
                OptionValueKind.Integer => result.GetValue((Option<int?>)option),
                OptionValueKind.IntegerList => result.GetValue((Option<IReadOnlyList<long>>)option),
                _ => result.GetValue((Option<string>)option),
            };
        }

        foreach (var declared in Declaration.Arguments)
        {
            var argument = Arguments[declared.Name];
            values[declared.Name] = declared.Many
                ? result.GetValue((Argument<string[]>)argument)
                : result.GetValue((Argument<string>)argument) is { } word ? new[] { word } : null;
        }

        return new ParsedCommand(Path, values);
    }
}
