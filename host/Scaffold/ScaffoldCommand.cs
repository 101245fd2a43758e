using System.CommandLine;
using PluginHost.Host.Cli;

namespace PluginHost.Host.Scaffold;

/// <summary>
/// <c>host scaffold NAME [DIR]</c>, as <c>odoo-bin scaffold</c>: writes a new addon into <c>DIR/NAME</c> (DIR defaults to
/// the current folder) from the same files as <c>dotnet new pluginhost-addon</c> (<see cref="AddonScaffold"/>).
/// </summary>
internal sealed class ScaffoldCommand : BuiltInCommand
{
    private readonly Argument<string> _name = new("NAME") { Description = "the addon's technical name, snake_case (shop_sync)" };
    private readonly Argument<string> _directory = new("DIR") { Description = "where to create the NAME folder (default: the current folder)", Arity = ArgumentArity.ZeroOrOne };
    private readonly Option<string> _feed = new("--feed")
    {
        Description = $"the folder of the PluginHost packages the addon builds against (default: {AddonScaffold.DefaultFeed ?? "none known"})",
        HelpName = "DIR",
    };

    public ScaffoldCommand()
        : base("scaffold", "create a new addon (model, migration, delayed job, page, tests) in DIR/NAME; needs no database")
    {
        Arguments.Add(_name);
        Arguments.Add(_directory);
        Options.Add(_feed);
    }

    public override async Task<int> RunAsync(ParseResult result, TextWriter output, TextWriter error)
    {
        var name = result.GetValue(_name)!;
        var parent = Path.GetFullPath(result.GetValue(_directory) ?? ".");
        var feed = result.GetValue(_feed) ?? AddonScaffold.DefaultFeed;
        if (AddonScaffold.CheckName(name) is { } problem)
        {
            await error.WriteLineAsync($"host scaffold: NAME {problem}");
            return 2;
        }

        if (feed is null)
        {
            await error.WriteLineAsync("host scaffold: this host was not built from the PluginHost repository, so it knows no package feed: give --feed DIR (a folder holding the PluginHost packages)");
            return 2;
        }

        var folder = Path.Combine(parent, name);
        if (Directory.Exists(folder) && Directory.EnumerateFileSystemEntries(folder).Any())
        {
            await error.WriteLineAsync($"host scaffold: {folder} already exists and is not empty; choose another NAME or DIR");
            return 1;
        }

        IReadOnlyList<string> written;
        try
        {
            written = AddonScaffold.Write(name, folder, Path.GetFullPath(feed));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only DIR, a DIR that is a file, a full disk: said in one line, not a stack trace.
            await error.WriteLineAsync($"host scaffold: cannot write {folder}: {e.Message}");
            return 1;
        }

        await output.WriteLineAsync($"created addon {name} in {folder}:");
        foreach (var file in written)
        {
            await output.WriteLineAsync($"  {file}");
        }

        await output.WriteLineAsync($"next: cd {folder} && dotnet build && dotnet test tests; then install it with --addons-path <addons>,{parent} -i {name}");
        return 0;
    }
}
