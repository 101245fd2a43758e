using System.Diagnostics;
using System.Text;

namespace PluginHost.Tests.Support;

/// <summary>
/// Runs the <c>dotnet</c> CLI (build, test, new) as a user would in a terminal: in a folder, with the test run's
/// MSBuild and test-host variables removed so that the child is not mistaken for part of this build.
/// </summary>
internal static class DotnetCli
{
    /// <summary>The exit code and the output (standard output and error, interleaved) of <c>dotnet</c> with <paramref name="arguments"/>.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string folder, IReadOnlyList<string> arguments,
        IReadOnlyDictionary<string, string>? environment = null, int timeoutSeconds = 600)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var inherited in start.Environment.Keys.Where(IsBuildVariable).ToList())
        {
            start.Environment.Remove(inherited);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, line) => Append(output, line.Data);
        process.ErrorDataReceived += (_, line) => Append(output, line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', arguments)} in {folder} ran over {timeoutSeconds} s:{Environment.NewLine}{output}");
        }

        process.WaitForExit();
        lock (output)
        {
            return (process.ExitCode, output.ToString());
        }
    }

    private static bool IsBuildVariable(string name) =>
        name.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || name.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("TESTINGPLATFORM", StringComparison.OrdinalIgnoreCase) || name.Equals("DOTNET_HOST_PATH", StringComparison.OrdinalIgnoreCase);

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
