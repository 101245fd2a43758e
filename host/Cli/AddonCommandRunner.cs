using PluginHost.Sdk;

namespace PluginHost.Host.Cli;

/// <summary>Runs a parsed addon command on a booted database; bad usage its run reports (<see cref="ArgumentException"/>) goes to the error writer, exit code 2.</summary>
public static class AddonCommandRunner
{
    /// <summary>Runs <see cref="CommandLine.Command"/> of <paramref name="line"/>; returns its exit code.</summary>
    public static async Task<int> RunAsync(CommandLine line, Database database, TextWriter output, TextWriter error)
    {
        var run = line.Command?.Run ?? throw new InvalidOperationException("The command line names no command to run.");
        try
        {
            return await run(line.Values!, database, output);
        }
        catch (ArgumentException e)
        {
            await error.WriteLineAsync($"host {line.CommandPath}: {e.Message}{Environment.NewLine}Run 'host {line.CommandPath} --help' for usage.");
            return 2;
        }
    }
}
