using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Help;
using PluginHost.Sdk;

namespace PluginHost.Host.Cli;

/// <summary>
/// The System.CommandLine tree of <c>host</c>: the host's flags on the root, accepted before or after any command word,
/// and the addons' commands made of their declarations. Unmatched words are not errors here (but in the tree help is
/// written from): <see cref="UsageErrors"/> names each with the nearest known one.
/// </summary>
internal sealed class CommandLineGrammar
{
    private readonly Dictionary<Command, CommandNode> _nodes = [];
    private readonly Dictionary<CommandLineOption, Option> _hostOptions = [];
    private readonly bool _forHelp;

    private CommandLineGrammar(IReadOnlyList<DeclaredCommand> commands, bool forHelp)
    {
        _forHelp = forHelp;
        Root = new RootCommand(RootDescription) { TreatUnmatchedTokensAsErrors = forHelp };
        foreach (var version in Root.Options.OfType<VersionOption>().ToList())
        {
            Root.Options.Remove(version);
        }

        // Serving is the root's action, and a command without a run says which sub-command it expected (CommandLine.Parse):
        // with actions, System.CommandLine reports no missing command itself.
        Root.SetAction(_ => 0);
        Root.HelpName = "host";
        var help = Root.Options.OfType<HelpOption>().Single();
        help.Description = CommandLine.Options.Single(o => o.Long == "--help").Help;
        help.Action = new HostHelpAction((HelpAction)help.Action!);
        Suggest = Root.Directives.OfType<SuggestDirective>().SingleOrDefault() ?? new SuggestDirective();
        if (!Root.Directives.Contains(Suggest))
        {
            Root.Directives.Add(Suggest);
        }

        foreach (var flag in CommandLine.Options.Where(o => o.Long != "--help"))
        {
            var option = HostOption(flag);
            _hostOptions[flag] = option;
            Root.Options.Add(option);
        }

        foreach (var builtIn in BuiltIns())
        {
            Root.Subcommands.Add(builtIn);
        }

        foreach (var declared in commands)
        {
            Root.Subcommands.Add(AddonCommand(declared.Addon, declared.Command, ""));
        }
    }

    /// <summary>What <c>host --help</c> says first.</summary>
    public const string RootDescription =
        "Runs PluginHost: discovers addons on the addons path, installs or updates them in a PostgreSQL database, and starts the " +
        "server-wide addons (for example: host --load web,queue_job -d mydb). Flags override the same key of [options] in the " +
        "configuration file; the commands of the addons on the addons path (host queue list -d mydb) run where the addon is installed.";

    /// <summary>The names of the commands of host itself (<c>scaffold</c>), which no addon may declare.</summary>
    public static IReadOnlyList<string> BuiltInNames { get; } = BuiltIns().Select(c => c.Name).ToList();

    public RootCommand Root { get; }

    /// <summary>Every option without a value, by each of its names: <c>--stop-after-init=yes</c> is an error naming it.</summary>
    public IEnumerable<Option> Switches =>
        _nodes.Keys.Prepend(Root).SelectMany(c => c.Options).Where(o => o.Arity.MaximumNumberOfValues == 0);

    /// <summary><c>[suggest]</c>: the completions dotnet-suggest asks for, for shell completion.</summary>
    public SuggestDirective Suggest { get; }

    /// <summary>The System.CommandLine option of each host flag but <c>--help</c>.</summary>
    public IReadOnlyDictionary<CommandLineOption, Option> HostOptions => _hostOptions;

    /// <summary>The addon command behind a System.CommandLine command; none for the root.</summary>
    public CommandNode? NodeOf(Command command) => _nodes.GetValueOrDefault(command);

    /// <summary>New instances of the commands of host itself (a command belongs to one tree).</summary>
    private static IEnumerable<BuiltInCommand> BuiltIns() => [new Scaffold.ScaffoldCommand()];

    /// <summary>
    /// The tree for <paramref name="commands"/>. <paramref name="forHelp"/> makes the one help and completions are written
    /// from: the same, except that words nothing matches are not offered as "additional arguments".
    /// </summary>
    public static CommandLineGrammar Build(IReadOnlyList<DeclaredCommand> commands, bool forHelp = false) => new(commands, forHelp);

    /// <summary>
    /// A host flag: a switch, or a value where the last one given wins, as before. Recursive, so it may come after the
    /// command words (<c>host queue list -d mydb</c>).
    /// </summary>
    private static Option HostOption(CommandLineOption flag)
    {
        var aliases = flag.Short is null ? Array.Empty<string>() : [flag.Short];
        if (flag.Value is null)
        {
            return new Option<bool>(flag.Long, aliases) { Description = flag.Help, Arity = ArgumentArity.Zero, Recursive = true };
        }

        return new Option<string[]>(flag.Long, aliases)
        {
            Description = flag.Help, HelpName = flag.Value, Arity = ArgumentArity.OneOrMore, AllowMultipleArgumentsPerToken = false, Recursive = true,
        };
    }

    private Command AddonCommand(string addon, AddonCommand declared, string parentPath)
    {
        var path = parentPath.Length == 0 ? declared.Name : $"{parentPath} {declared.Name}";
        var command = new Command(declared.Name, declared.Summary) { TreatUnmatchedTokensAsErrors = _forHelp };
        var options = new Dictionary<string, Option>(StringComparer.Ordinal);
        foreach (var option in declared.Options)
        {
            options[option.Name] = AddonOption.Create(option);
            command.Options.Add(options[option.Name]);
            if (option.Required)
            {
                var made = options[option.Name];
                command.Validators.Add(result =>
                {
                    if (result.GetResult(made) is not { Implicit: false })
                    {
                        result.AddError($"missing {option.Name}{(option.ValueName is null ? "" : " " + option.ValueName)}: {option.Help}");
                    }
                });
            }
        }

        var arguments = new Dictionary<string, Argument>(StringComparer.Ordinal);
        foreach (var argument in declared.Arguments)
        {
            Argument made = argument.Many
                ? new Argument<string[]>(argument.Name) { Description = argument.Help, Arity = ArgumentArity.ZeroOrMore }
                : new Argument<string>(argument.Name) { Description = argument.Help, Arity = ArgumentArity.ExactlyOne };
            arguments[argument.Name] = made;
            command.Arguments.Add(made);
        }

        foreach (var sub in declared.SubCommands)
        {
            command.Subcommands.Add(AddonCommand(addon, sub, path));
        }

        command.SetAction(_ => 0);
        _nodes[command] = new CommandNode(addon, path, declared, options, arguments);
        return command;
    }
}
