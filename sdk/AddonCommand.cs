namespace PluginHost.Sdk;

/// <summary>
/// A command an addon adds to the <c>host</c> executable (<c>host queue list -d mydb</c>), declared by its entry point
/// (<see cref="Addon.Commands"/>) so the host knows it, its options and its help before connecting to any database. The
/// host parses and validates the command line against this declaration, boots the database, then calls <see cref="Run"/>.
/// </summary>
/// <example>
/// <code>
/// new AddonCommand("greet", "print a greeting")
/// {
///     Options = [new AddonCommandOption("--name", "who to greet") { ValueName = "NAME", Required = true }],
///     Run = async (command, database, output) =&gt; { await output.WriteLineAsync($"hello {command.Text("--name")}"); return 0; },
/// };
/// </code>
/// </example>
/// <param name="Name">The word naming the command on the command line, <c>queue</c>.</param>
/// <param name="Summary">One line for the help of the parent command.</param>
public sealed record AddonCommand(string Name, string Summary)
{
    /// <summary>The options the command accepts, besides the host's own flags (which are accepted everywhere).</summary>
    public IReadOnlyList<AddonCommandOption> Options { get; init; } = [];

    /// <summary>The words the command takes after its name and sub-command names, in order.</summary>
    public IReadOnlyList<AddonCommandArgument> Arguments { get; init; } = [];

    /// <summary>Sub-commands, <c>list</c> of <c>host queue list</c>; a command with sub-commands and no <see cref="Run"/> needs one.</summary>
    public IReadOnlyList<AddonCommand> SubCommands { get; init; } = [];

    /// <summary>
    /// Checks the parsed values together, before any connection: returns what is wrong and what was expected
    /// (<c>"give job uuids or --state"</c>), or null when they are fine. A usage error, exit code 2.
    /// </summary>
    public Func<ParsedCommand, string?>? Check { get; init; }

    /// <summary>
    /// Runs the command on the booted database, writing its result to the output; returns the exit code (0 ok, 1 failed).
    /// Throw <see cref="ArgumentException"/> naming the option for bad usage only the database reveals (an unknown model): exit code 2.
    /// </summary>
    public Func<ParsedCommand, Database, TextWriter, Task<int>>? Run { get; init; }

    /// <summary>
    /// A <see cref="Run"/> that runs <paramref name="body"/> in one transaction of the database, committed when it
    /// returns (rolled back when it throws): <c>Run = AddonCommand.InTransaction(ListAsync)</c>.
    /// </summary>
    public static Func<ParsedCommand, Database, TextWriter, Task<int>> InTransaction(Func<ParsedCommand, Env, TextWriter, Task<int>> body) =>
        async (command, database, output) =>
        {
            await using var env = await database.BeginAsync();
            var code = await body(command, env, output);
            await env.CommitAsync();
            return code;
        };
}
