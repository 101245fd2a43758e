using PluginHost.Host.Cli;
using PluginHost.Sdk;

namespace PluginHost.Tests.Support;

/// <summary>Runs an addon's command in process, parsed as the host parses it, on a given database.</summary>
internal static class AddonCommandHarness
{
    /// <summary><c>host WORDS</c> with the commands of <paramref name="addon"/> (named <paramref name="addonName"/>): the exit code and what went to stdout and stderr.</summary>
    public static async Task<(int Code, string Output)> RunAsync(Addon addon, string addonName, Database database, params string[] words)
    {
        var commands = addon.Commands.Select(c => new DeclaredCommand(addonName, c)).ToList();
        CommandLine line;
        try
        {
            line = CommandLine.Parse(words, commands);
        }
        catch (CommandLineException e)
        {
            return (2, $"{e.CommandPath}: {e.Message}");
        }

        await using var output = new StringWriter();
        var code = await AddonCommandRunner.RunAsync(line, database, output, output);
        return (code, output.ToString());
    }
}
