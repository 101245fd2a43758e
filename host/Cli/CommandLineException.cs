namespace PluginHost.Host.Cli;

/// <summary>
/// Bad usage found on the command line, before any connection (exit code 2): each error names the flag or word at
/// fault and what was expected, and the last line says which help to read.
/// </summary>
public sealed class CommandLineException(string commandPath, IReadOnlyList<string> errors)
    : ArgumentException($"{string.Join(Environment.NewLine, errors)}{Environment.NewLine}Run '{commandPath} --help' for usage.")
{
    /// <summary>The command the errors are about, <c>host queue enqueue</c>; it prefixes the message on stderr.</summary>
    public string CommandPath { get; } = commandPath;

    /// <summary>One line per error.</summary>
    public IReadOnlyList<string> Errors { get; } = errors;
}
