namespace PluginHost.Sdk;

/// <summary>
/// A command an addon adds to the <c>host</c> executable (<c>host queue list -d mydb</c>). Register it as a singleton
/// service; the host boots without starting servers, then runs it with the words after its name.
/// </summary>
public interface IAddonCommand
{
    /// <summary>The first word on the command line, <c>queue</c>.</summary>
    string Name { get; }

    /// <summary>One line for <c>host --help</c>.</summary>
    string Summary { get; }

    /// <summary>Runs the command; returns the process exit code (0 ok, 1 failed, 2 bad usage).</summary>
    Task<int> RunAsync(IReadOnlyList<string> args, Database database, TextWriter output);
}
