using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace PluginHost.Bench.Table;

/// <summary>
/// A real <c>host.dll</c> (the build of this configuration, Release under scripts/bench) serving a bench database
/// with <c>--load web,queue_job</c>, as an operator runs it; its last log lines are kept for error messages.
/// </summary>
internal sealed class HostChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private HostChildProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, line) => Keep(line.Data);
        process.ErrorDataReceived += (_, line) => Keep(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public static HostChildProcess Start(string database, int workers, string channels)
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
        return new HostChildProcess(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start"));
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
                throw new InvalidOperationException($"host exited with {_process.ExitCode}: {string.Join('\n', _log)}");
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

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        _log.Enqueue(line);
        while (_log.Count > 50 && _log.TryDequeue(out _))
        {
        }
    }
}
