using System.Text;

namespace PluginHost.Host.Cli;

/// <summary>
/// The <c>host</c> command line: Odoo-style flags that override <c>[options]</c> of the configuration file.
/// Accepts <c>--flag value</c>, <c>--flag=value</c> and short forms; an unknown flag is an error naming it.
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
        new("--help", "-h", null, null, "show this help and exit"),
    ];

    private CommandLine(string? configFile, bool help, IReadOnlyDictionary<string, string?> overrides, string? command, IReadOnlyList<string> commandArgs)
    {
        ConfigFile = configFile;
        Help = help;
        Overrides = overrides;
        Command = command;
        CommandArgs = commandArgs;
    }

    /// <summary>An addon command named by the first word (<c>queue</c>), or null to serve.</summary>
    public string? Command { get; }

    /// <summary>The words of the command line that are not host flags, after the command name.</summary>
    public IReadOnlyList<string> CommandArgs { get; }

    /// <summary>The <c>-c</c> file, if given.</summary>
    public string? ConfigFile { get; }

    /// <summary>True when help was asked for.</summary>
    public bool Help { get; }

    /// <summary>Configuration keys set by flags (<c>options:db_name</c>).</summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; }

    /// <summary>Parses the arguments; <see cref="ArgumentException"/> names the flag at fault.</summary>
    public static CommandLine Parse(IReadOnlyList<string> args)
    {
        string? configFile = null;
        var help = false;
        var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var command = args.Count > 0 && !args[0].StartsWith('-') ? args[0] : null;
        var commandArgs = new List<string>();
        for (var i = command is null ? 0 : 1; i < args.Count; i++)
        {
            var (flag, inline) = args[i].Split('=', 2) is [var f, var v] && f.StartsWith('-') ? (f, v) : (args[i], null);
            var option = Options.FirstOrDefault(o => o.Long == flag || o.Short == flag);
            if (option is null && command is not null)
            {
                // Words a command understands itself (--state failed) pass through to it.
                commandArgs.Add(args[i]);
                continue;
            }

            if (option is null)
            {
                throw new ArgumentException($"Unknown argument '{args[i]}'. Run 'host --help' for the list of flags.");
            }
            string? value = null;
            if (option.Value is not null)
            {
                value = inline ?? (i + 1 < args.Count ? args[++i] : throw new ArgumentException($"Flag {option.Long} needs a value ({option.Value})."));
            }
            else if (inline is not null)
            {
                throw new ArgumentException($"Flag {option.Long} takes no value.");
            }

            switch (option.Long)
            {
                case "--help":
                    help = true;
                    break;
                case "--config":
                    configFile = value;
                    break;
                default:
                    overrides[$"options:{option.Key}"] = value ?? "true";
                    break;
            }
        }

        return new CommandLine(configFile, help, overrides, command, commandArgs);
    }

    /// <summary>The text printed by <c>host --help</c>.</summary>
    public static string HelpText()
    {
        var text = new StringBuilder();
        text.AppendLine("Usage: host [flags]");
        text.AppendLine("       host COMMAND [command arguments] [flags]   (commands of the installed addons, e.g. host queue list)");
        text.AppendLine();
        text.AppendLine("Runs PluginHost: discovers addons on the addons path, installs or updates them in a PostgreSQL");
        text.AppendLine("database, and starts the server-wide addons (for example: host --load web,queue_job -d mydb).");
        text.AppendLine();
        text.AppendLine("Flags (each overrides the same key of [options] in the configuration file):");
        foreach (var option in Options)
        {
            var names = (option.Short is null ? "    " : option.Short + ", ") + option.Long + (option.Value is null ? "" : " " + option.Value);
            text.AppendLine($"  {names,-34} {option.Help}");
        }

        text.AppendLine();
        text.AppendLine("Environment: ODOO_QUEUE_JOB_CHANNELS and the other ODOO_QUEUE_JOB_* variables set the matching");
        text.AppendLine("key of the [queue_job] section and win over the configuration file.");
        return text.ToString();
    }
}
