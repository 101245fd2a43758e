using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace PluginHost.Bench.Table;

/// <summary>
/// A real <c>host.dll</c> (the build of this configuration, Release under scripts/bench) serving a bench database
/// with <c>--load web,queue_job</c>, as an operator runs it; its last log lines are kept for error messages. It can be
/// frozen with SIGSTOP and resumed with SIGCONT, as a node stalled by the machine or a debugger.
/// </summary>
internal sealed class HostChildProcess : IAsyncDisposable
{
    private const int SignalContinue = 18;
    private const int SignalStop = 19;

    private readonly Process _process;
    private readonly RecentLines _log = new();

    private HostChildProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, line) => _log.Add(line.Data);
        process.ErrorDataReceived += (_, line) => _log.Add(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Starts a node with <c>ODOO_QUEUE_JOB_CHANNELS</c> and, when given, <c>ODOO_QUEUE_JOB_NODE_TIMEOUT</c> (whole seconds).</summary>
    public static HostChildProcess Start(string database, int workers, string channels, TimeSpan? nodeTimeout = null)
    {
        var root = BenchDatabase.RepoRoot();
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var server = BenchCluster.Server;
        string[] arguments =
        [
            Path.Combine(root, "host", "bin", configuration, "net10.0", "host.dll"),
            "--addons-path", Path.Combine(root, "addons") + "," + Path.Combine(root, "tests", "fixtures", "addons"),
            "-d", database, "--db-host", server.Host!, "--db-port", server.Port.ToString(CultureInfo.InvariantCulture),
            "--db-user", server.Username!, "--load", "web,queue_job", "-p", InProcessHost.FreePort().ToString(CultureInfo.InvariantCulture),
            "--workers", workers.ToString(CultureInfo.InvariantCulture),
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ODOO_QUEUE_JOB_CHANNELS"] = channels;
        if (nodeTimeout is { } timeout)
        {
            start.Environment["ODOO_QUEUE_JOB_NODE_TIMEOUT"] = ((int)timeout.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        }

        return new HostChildProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
    }

    public int Pid => _process.Id;

    /// <summary>True while the process is stopped by a signal (state T in /proc/&lt;pid&gt;/stat).</summary>
    public bool IsStopped
    {
        get
        {
            var stat = File.ReadAllText($"/proc/{Pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('T');
        }
    }

    /// <summary>SIGSTOP: the process freezes at once, its sockets open.</summary>
    public void Pause() => Signal(SignalStop);

    /// <summary>SIGCONT: a paused process goes on where it stopped; nothing once the process is gone.</summary>
    public void Resume()
    {
        if (!_disposed && !_process.HasExited)
        {
            Signal(SignalContinue);
        }
    }

    /// <summary>The child's CPU time so far.</summary>
    public TimeSpan Cpu()
    {
        _process.Refresh();
        return _process.TotalProcessorTime;
    }

    /// <summary>Waits until the child's runner shows in pg_stat_activity (application_name <c>queue_job runner …</c>).</summary>
    public async Task WaitUntilReadyAsync(string database, TimeSpan limit)
    {
        await using var connection = await BenchCluster.OpenAsync("postgres");
        await BenchCluster.WaitUntilAsync(async () =>
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"host exited with {_process.ExitCode}: {_log}");
            }

            return await BenchCluster.ScalarAsync<long>(connection,
                "SELECT count(*) FROM pg_stat_activity WHERE datname = $1 AND application_name LIKE 'queue_job runner%'", database) > 0;
        }, limit, "host runner ready");
    }

    private bool _disposed;

    /// <summary>Kills the host (SIGKILL) and waits for it; may be called again.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
    }

    private void Signal(int signal)
    {
        if (SendSignal(Pid, signal) != 0)
        {
            throw new InvalidOperationException($"kill({Pid}, {signal}) failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}
