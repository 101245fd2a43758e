using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace PluginHost.Host.Cli;

/// <summary>
/// <c>--help</c> on any command: System.CommandLine's usage of that command, unwrapped when the output is not a terminal
/// (so scripts and tests see whole lines); <c>host --help</c> ends with the environment variables the host reads.
/// </summary>
internal sealed class HostHelpAction(HelpAction inner) : SynchronousCommandLineAction
{
    /// <summary>The last lines of <c>host --help</c>.</summary>
    public const string EnvironmentNote =
        "Environment: ODOO_QUEUE_JOB_CHANNELS and the other ODOO_QUEUE_JOB_* variables set the matching key of the [queue_job]\n" +
        "section and win over the configuration file.\n" +
        "Completion: register host with dotnet-suggest (see README.md, 'Shell completion').";

    public override int Invoke(ParseResult parseResult)
    {
        var output = parseResult.InvocationConfiguration.Output;
        if (output != Console.Out || Console.IsOutputRedirected)
        {
            inner.MaxWidth = int.MaxValue;
        }

        var code = inner.Invoke(parseResult);
        if (parseResult.CommandResult.Command is RootCommand)
        {
            output.WriteLine(EnvironmentNote.ReplaceLineEndings());
        }

        return code;
    }
}
