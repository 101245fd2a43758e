using System.CommandLine;
using System.CommandLine.Parsing;
using PluginHost.Host.Text;

namespace PluginHost.Host.Cli;

/// <summary>
/// The usage errors of a parse, each naming the flag or word at fault and what was expected: an unknown option with the
/// nearest one of the command, an unknown command with the nearest command, a flag without its value.
/// </summary>
internal static class UsageErrors
{
    /// <summary>The errors, with those of the words nothing matched unless <paramref name="unmatchedWords"/> is false.</summary>
    public static IReadOnlyList<string> Of(ParseResult result, CommandLineGrammar grammar, bool unmatchedWords = true)
    {
        var errors = new List<string>();
        var command = result.CommandResult.Command;
        var unexpectedWord = false;
        var afterUnknownOption = false;
        foreach (var token in unmatchedWords ? result.UnmatchedTokens : [])
        {
            if (token.StartsWith('-') && token.Length > 1)
            {
                errors.Add(UnknownOption(token, command, grammar));
                afterUnknownOption = true;
                continue;
            }

            // A word after an unknown option is most likely its value, and the words after the first one not
            // understood its own: one error says enough.
            if (!afterUnknownOption && !unexpectedWord)
            {
                unexpectedWord = true;
                errors.Add(UnknownWord(token, command));
            }

            afterUnknownOption = false;
        }

        foreach (var error in result.Errors)
        {
            errors.Add(OptionOf(error.SymbolResult) is { } option && option.Tokens.Count == 0 && option.Option.Arity.MinimumNumberOfValues > 0
                ? $"{option.Option.Name} needs a value ({option.Option.HelpName ?? "a value"})"
                : error.Message);
        }

        return errors.Distinct().ToList();
    }

    /// <summary>
    /// <c>--stop-after-init=yes</c>: System.CommandLine takes the switch and leaves the value as a word, so the raw
    /// arguments are read for it (up to <c>--</c>).
    /// </summary>
    public static IReadOnlyList<string> SwitchesGivenValues(IReadOnlyList<string> args, CommandLineGrammar grammar)
    {
        var switches = grammar.Switches.SelectMany(o => o.Aliases.Prepend(o.Name)).ToHashSet(StringComparer.Ordinal);
        return args.TakeWhile(a => a != "--")
            .Where(a => a.StartsWith('-') && a.Split('=', 2) is [var name, _] && switches.Contains(name))
            .Select(a => $"{a.Split('=', 2)[0]} takes no value, got '{a}'")
            .ToList();
    }

    /// <summary>The words of the command, <c>host queue enqueue</c>.</summary>
    public static string PathOf(Command command) =>
        command is RootCommand ? "host" : $"{PathOf(command.Parents.OfType<Command>().First())} {command.Name}";

    private static string UnknownOption(string token, Command command, CommandLineGrammar grammar)
    {
        var name = token.Split('=', 2)[0];
        var known = KnownOptions(command, grammar).ToList();
        var names = known.SelectMany(o => o.Aliases.Prepend(o.Name)).Where(n => n.StartsWith("--", StringComparison.Ordinal) || n.Length == 2);
        return $"unknown option '{token}'{ClosestName.Hint(name, names)}";
    }

    private static string UnknownWord(string token, Command command)
    {
        var path = PathOf(command);
        if (command.Subcommands.Count == 0 && command is not RootCommand)
        {
            return $"unexpected argument '{token}': '{path}' takes no more words";
        }

        var names = command.Subcommands.Select(c => c.Name).ToList();
        var what = command is RootCommand ? "command" : "sub-command";
        var builtIn = string.Join(", ", command.Subcommands.OfType<BuiltInCommand>().Select(c => c.Name));
        var addons = command.Subcommands.Where(c => c is not BuiltInCommand).Select(c => c.Name).ToList();
        var known = command is not RootCommand ? $"expected one of {string.Join(", ", names)}"
            : addons.Count > 0 ? $"host has {builtIn}; the addons on the addons path add {string.Join(", ", addons)}"
            : $"host has {builtIn}; no addon on the addons path adds a command";
        return $"unknown {what} '{token}'{ClosestName.Hint(token, names)}; {known}";
    }

    /// <summary>The command's own options and the recursive ones of its ancestors: the host flags and <c>--help</c>.</summary>
    private static IEnumerable<Option> KnownOptions(Command command, CommandLineGrammar grammar) =>
        command.Options.Concat(command is RootCommand ? [] : grammar.Root.Options.Where(o => o.Recursive));

    private static OptionResult? OptionOf(SymbolResult? result) => result switch
    {
        OptionResult option => option,
        ArgumentResult { Parent: OptionResult option } => option,
        _ => null,
    };
}
