using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.InteropServices;
using PluginHost.Host.Configuration;

namespace PluginHost.Tests.Support;

/// <summary>
/// A real <c>host --load web,queue_job</c> process (the built <c>host.dll</c>) on a test database, for tests with
/// several nodes or a node killed with SIGKILL or paused with SIGSTOP, or a <c>host</c> run with any flags
/// (<see cref="Run"/>). It keeps every log line (<see cref="Log"/>); the last ones go to the test's output when the
/// test failed, and the process is killed when disposed.
/// </summary>
internal sealed class HostProcess : IAsyncDisposable
{
    private const int LinesShownOnFailure = 200;
    private const int SignalContinue = 18;
    private const int SignalStop = 19;

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private HostProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Pid => _process.Id;

    /// <summary>Debug or Release: the host is run as built with the tests (…/bin/&lt;configuration&gt;/net10.0/).</summary>
    private static string BuildConfiguration => new DirectoryInfo(TestContext.CurrentContext.TestDirectory).Parent!.Name;

    public bool HasExited => _process.HasExited;

    /// <summary>Every line the process wrote so far, standard output and error interleaved as received.</summary>
    public IReadOnlyList<string> Log => _log.ToArray();

    /// <summary>
    /// Starts a node serving <paramref name="options"/>' database with <c>--workers</c> and the given
    /// <c>ODOO_QUEUE_JOB_*</c> variables (e.g. <c>CHANNELS</c>, <c>NODE_TIMEOUT</c>), and more <paramref name="flags"/> if given.
    /// </summary>
    public static HostProcess Start(ServerOptions options, int workers, IReadOnlyDictionary<string, string> queueJobEnvironment,
        IReadOnlyList<string>? flags = null)
    {
        List<string> arguments =
        [
            .. DatabaseFlags(options), "--load", "web,queue_job",
            "-p", TestDatabase.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--workers", workers.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
        arguments.AddRange(flags ?? []);
        return Run(arguments, queueJobEnvironment.ToDictionary(v => "ODOO_QUEUE_JOB_" + v.Key, v => v.Value));
    }

    /// <summary>The flags naming <paramref name="options"/>' addons path, database and server: <c>--addons-path</c>, <c>-d</c>, <c>--db-*</c>.</summary>
    public static List<string> DatabaseFlags(ServerOptions options)
    {
        List<string> flags =
        [
            "--addons-path", string.Join(",", options.AddonsPath), "-d", options.Database, "--db-host", options.DbHost,
            "--db-port", options.DbPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ];
        if (options.DbUser is not null)
        {
            flags.AddRange(["--db-user", options.DbUser]);
        }

        if (options.DbPassword is not null)
        {
            flags.AddRange(["--db-password", options.DbPassword]);
        }

        return flags;
    }

    /// <summary>Runs <c>host</c> with <paramref name="arguments"/> (a command and flags) and the given environment variables.</summary>
    public static HostProcess Run(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(RepoPaths.Root, "host", "bin", BuildConfiguration, "net10.0", "host.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return new HostProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    /// <summary>The exit code once the process exits within <paramref name="seconds"/>; null when it still runs then.</summary>
    public async Task<int?> ExitCodeAsync(int seconds)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>SIGKILL: the node dies without any clean-up, as on a crash.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>SIGSTOP: the process freezes at once, its sockets open, as a node stalled by the machine or a debugger.</summary>
    public void Pause() => Signal(SignalStop);

    /// <summary>SIGCONT: a paused process goes on where it stopped.</summary>
    public void Resume() => Signal(SignalContinue);

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        if (TestContext.CurrentContext.Result.Outcome.Status == NUnit.Framework.Interfaces.TestStatus.Failed)
        {
            TestContext.Out.WriteLine($"--- host process {_process.Id}, last lines ---");
            var lines = _log.ToArray();
            foreach (var line in lines.Skip(Math.Max(0, lines.Length - LinesShownOnFailure)))
            {
                TestContext.Out.WriteLine(line);
            }
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
    }

    private void Signal(int signal)
    {
        if (SendSignal(_process.Id, signal) != 0)
        {
            throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
