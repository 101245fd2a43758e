using System.CommandLine;

namespace PluginHost.Host.Cli;

/// <summary>
/// A command of <c>host</c> itself, such as <c>host scaffold</c>: it needs no configuration and no database, and runs
/// before any addon is discovered or any connection made.
/// </summary>
internal abstract class BuiltInCommand(string name, string description) : Command(name, description)
{
    /// <summary>Runs the command with its parsed values; returns the exit code (0 ok, 1 failed, 2 bad usage).</summary>
    public abstract Task<int> RunAsync(ParseResult result, TextWriter output, TextWriter error);
}
