using System.CommandLine;
using PluginHost.Sdk;

namespace PluginHost.Host.Cli;

/// <summary>
/// The <c>host</c> command line, parsed with System.CommandLine: Odoo-style flags that override <c>[options]</c> of the
/// configuration file, anywhere on the line, and the commands the addons declare. Accepts <c>--flag value</c>,
/// <c>--flag=value</c> and short forms; response files are off, so a value starting with <c>@</c> stays a value.
/// </summary>
public sealed class CommandLine
{
    /// <summary>Every flag <c>host</c> understands, in help order.</summary>
    public static readonly IReadOnlyList<CommandLineOption> Options =
    [
        new("--config", "-c", null, "FILE", "INI configuration file with [options] and one section per addon"),
        new("--addons-path", null, "addons_path", "DIRS", "comma-separated folders holding addon folders (default: the repository's addons/)"),
        new("--database", "-d", "db_name", "NAME", "database to serve; created if missing (default: pluginhost)"),
        new("--db-filter", null, "dbfilter", "REGEX", "also run the jobs of every other database whose name matches, once queue_job is installed there"),
        new("--db-host", null, "db_host", "HOST", "PostgreSQL host (default: localhost)"),
        new("--db-port", null, "db_port", "PORT", "PostgreSQL port (default: 5432)"),
        new("--db-user", null, "db_user", "USER", "PostgreSQL user (default: the OS user)"),
        new("--db-password", null, "db_password", "PASSWORD", "PostgreSQL password"),
        new("--db-wait", null, "db_wait", "SECONDS", "how long a start waits for PostgreSQL while it is down or starting up (default: 30; 0 for addon commands)"),
        new("--load", null, "server_wide_modules", "ADDONS", "comma-separated server-wide addons to load and start (default: web)"),
        new("--init", "-i", "init", "ADDONS", "comma-separated addons to install, with their dependencies"),
        new("--update", "-u", "update", "ADDONS", "comma-separated installed addons to update ('all' for every one)"),
        new("--uninstall", null, "uninstall", "ADDONS", "comma-separated installed addons to uninstall, with the addons depending on them"),
        new("--stop-after-init", null, "stop_after_init", null, "apply -i/-u/--uninstall, then exit instead of serving"),
        new("--http-port", "-p", "http_port", "PORT", "HTTP port of the web addon (default: 8069)"),
        new("--http-interface", null, "http_interface", "ADDRESS", "address the web addon listens on (default: 127.0.0.1)"),
        new("--workers", null, "workers", "N", "how many jobs this node runs at once (default: 2)"),
        new("--shutdown-timeout", null, "shutdown_timeout", "SECONDS", "on stop, how long running jobs may take to finish (default: 30)"),
        new("--log-level", null, "log_level", "LEVEL", "debug, info, warn or error (default: info)"),
        new("--help", "-h", null, null, "show help and exit, of host or of the command before it"),
    ];

    private static readonly ParserConfiguration Parser = new() { ResponseFileTokenReplacer = null };

    private readonly ParseResult _result;
    private readonly bool _suggest;

    private CommandLine(ParseResult result, bool suggest, string? configFile, IReadOnlyDictionary<string, string?> overrides, CommandNode? command, ParsedCommand? values)
    {
        _result = result;
        _suggest = suggest;
        ConfigFile = configFile;
        Overrides = overrides;
        Node = command;
        Values = values;
    }

    /// <summary>The addon command to run (<c>host queue list</c>), or null to serve.</summary>
    public AddonCommand? Command => Node?.Declaration;

    /// <summary>The addon declaring <see cref="Command"/>, which must be installed for it to run.</summary>
    public string? CommandAddon => Node?.Addon;

    /// <summary>The command's words after <c>host</c>, <c>queue list</c>.</summary>
    public string? CommandPath => Node?.Path;

    /// <summary>
    /// True when the first word of the line that is not a flag or a flag's value names a command of host itself, with no
    /// word nothing matches: <c>host scaffold shop_sync</c> runs without reading the configuration or the addons. A line
    /// with other words is parsed again with the addons' commands, where a built-in one can only be a usage error.
    /// </summary>
    public bool IsBuiltInOnly => _result.CommandResult.Command is BuiltInCommand && _result.UnmatchedTokens.Count == 0;

    /// <summary>Runs the built-in command of the line (<see cref="IsBuiltInOnly"/>); returns its exit code.</summary>
    public Task<int> RunBuiltInAsync(TextWriter output, TextWriter error) =>
        ((BuiltInCommand)_result.CommandResult.Command).RunAsync(_result, output, error);

    /// <summary>The parsed and checked values of the command's options and arguments.</summary>
    public ParsedCommand? Values { get; }

    /// <summary>The <c>-c</c> file, if given.</summary>
    public string? ConfigFile { get; }

    /// <summary>True when help was asked for (<c>--help</c>, <c>-h</c>), on host or on a command.</summary>
    public bool Help => _result.Action is HostHelpAction;

    /// <summary>True when the line asks for help or for completions (<c>[suggest]</c>), which <see cref="Answer"/> writes.</summary>
    public bool AnswersItself => Help || _suggest;

    /// <summary>
    /// True when words other than host flags were given, or help or completions asked for: the addons' commands are
    /// needed to understand the line.
    /// </summary>
    public bool NeedsAddonCommands => AnswersItself || _result.UnmatchedTokens.Count > 0;

    /// <summary>Configuration keys set by flags (<c>options:db_name</c>).</summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; }

    internal CommandNode? Node { get; }

    /// <summary>
    /// Parses the arguments against the host flags and <paramref name="commands"/>; a <see cref="CommandLineException"/>
    /// names every flag or word at fault and what was expected.
    /// </summary>
    public static CommandLine Parse(IReadOnlyList<string> args, IReadOnlyList<DeclaredCommand>? commands = null) => Parse(args, commands ?? [], lenient: false);

    /// <summary>
    /// Reads the host flags only, leaving other words for <see cref="Parse(IReadOnlyList{string}, IReadOnlyList{DeclaredCommand}?)"/>
    /// once the addons' commands are known: the configuration file and the addons path come from here.
    /// </summary>
    public static CommandLine ParseHostFlags(IReadOnlyList<string> args) => Parse(args, [], lenient: true);

    /// <summary>Writes the help or completions asked for; returns the exit code, 0.</summary>
    public int Answer(TextWriter output) => _result.Invoke(new InvocationConfiguration { Output = output, Error = output });

    /// <summary>The text printed by <c>host --help</c> with the given commands.</summary>
    public static string HelpText(IReadOnlyList<DeclaredCommand>? commands = null) => HelpText(["--help"], commands);

    /// <summary>The help printed for <paramref name="args"/> (which end with <c>--help</c>), with the given commands.</summary>
    public static string HelpText(IReadOnlyList<string> args, IReadOnlyList<DeclaredCommand>? commands = null)
    {
        using var output = new StringWriter();
        Parse(args, commands).Answer(output);
        return output.ToString();
    }

    private static CommandLine Parse(IReadOnlyList<string> args, IReadOnlyList<DeclaredCommand> commands, bool lenient)
    {
        var grammar = CommandLineGrammar.Build(commands);
        var result = grammar.Root.Parse(args, Parser);
        var line = new CommandLine(result, result.GetResult(grammar.Suggest) is not null, ConfigFileOf(result, grammar), OverridesOf(result, grammar), grammar.NodeOf(result.CommandResult.Command), null);
        if (line.AnswersItself)
        {
            var answer = CommandLineGrammar.Build(commands, forHelp: true);
            return new CommandLine(answer.Root.Parse(args, Parser), line._suggest, line.ConfigFile, line.Overrides, line.Node, null);
        }

        var errors = UsageErrors.SwitchesGivenValues(args, grammar);
        errors = errors.Count > 0 ? errors : UsageErrors.Of(result, grammar, unmatchedWords: !lenient);
        var path = UsageErrors.PathOf(result.CommandResult.Command);
        if (errors.Count > 0)
        {
            throw new CommandLineException(path, errors);
        }

        if (line.Node is not { } node)
        {
            return line;
        }

        if (node.Declaration.Run is null)
        {
            throw new CommandLineException(path, [$"expected a sub-command: {string.Join(", ", node.Declaration.SubCommands.Select(c => c.Name))}"]);
        }

        var values = node.Values(result);
        if (node.Declaration.Check?.Invoke(values) is { } problem)
        {
            throw new CommandLineException(path, [problem]);
        }

        return new CommandLine(result, line._suggest, line.ConfigFile, line.Overrides, node, values);
    }

    private static string? ConfigFileOf(ParseResult result, CommandLineGrammar grammar) =>
        LastValue(result, grammar.HostOptions[Options[0]]);

    /// <summary>Whether the option is on the line: a switch has an implicit result, false, when it is not.</summary>
    internal static bool IsGiven(ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };

    /// <summary>The value given last to a host flag, read from its tokens so a parse with errors still answers.</summary>
    private static string? LastValue(ParseResult result, Option option) => result.GetResult(option)?.Tokens.LastOrDefault()?.Value;

    /// <summary>The <c>options:</c> key of every host flag given; the last value of a flag given twice wins.</summary>
    private static Dictionary<string, string?> OverridesOf(ParseResult result, CommandLineGrammar grammar)
    {
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (flag, option) in grammar.HostOptions.Where(o => o.Key.Key is not null))
        {
            if (!IsGiven(result, option))
            {
                continue;
            }

            overrides[$"options:{flag.Key}"] = flag.Value is null ? "true" : LastValue(result, option);
        }

        return overrides;
    }
}
