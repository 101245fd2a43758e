using System.Diagnostics;
using System.Globalization;

namespace PluginHost.Bench.Table;

/// <summary>
/// The <see cref="HangfireNode"/> child process (this program run with <c>hangfire-node</c>) of one table, started at
/// its first use and driven by one command at a time; its CPU is what a Hangfire row measures. Its last lines of
/// other output are kept for error messages.
/// </summary>
internal sealed class HangfireChildProcess : IAsyncDisposable
{
    private static readonly TimeSpan ExitLimit = TimeSpan.FromSeconds(30);

    private readonly RecentLines _log = new();
    private Process? _process;
    private string? _database;

    /// <summary>Starts the node when it is not running, and points it at <paramref name="database"/> (Hangfire's schema installed there).</summary>
    public async Task<OpenDatabase> OpenAsync(string database)
    {
        if (_process is null)
        {
            var start = new ProcessStartInfo("dotnet")
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
            };
            start.ArgumentList.Add(typeof(HangfireNode).Assembly.Location);
            start.ArgumentList.Add(HangfireNode.Command);
            _process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
            _process.ErrorDataReceived += (_, line) => _log.Add(line.Data);
            _process.BeginErrorReadLine();
        }

        await SendAsync($"open {database}");
        _database = database;
        return new OpenDatabase(this);
    }

    /// <summary>Enqueues <paramref name="jobs"/> no-op jobs from <paramref name="clients"/> threads, each job its own transaction.</summary>
    public Task EnqueueNoopsAsync(int jobs, int clients) => SendAsync($"enqueue {jobs} {clients}");

    /// <summary>Closes the node's idle pooled connections, so that their backends flush their statistics and exit.</summary>
    public Task ReleaseAsync() => SendAsync("release");

    public Task StartServerAsync(int workers) => SendAsync($"start {workers}");

    /// <summary>Enqueues a job that records when it starts; the node keeps the time its commit returned.</summary>
    public Task ProbeAsync(int key) => SendAsync($"probe {key}");

    /// <summary>Milliseconds from each probe's commit to its start, both read on the node's clock.</summary>
    public async Task<IReadOnlyList<double>> LatenciesAsync()
    {
        var reply = await SendAsync("latencies");
        return reply.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(l => double.Parse(l, CultureInfo.InvariantCulture)).ToList();
    }

    /// <summary>The node's CPU time so far.</summary>
    public TimeSpan Cpu()
    {
        var process = _process ?? throw new InvalidOperationException("the Hangfire node is not started");
        process.Refresh();
        return process.TotalProcessorTime;
    }

    /// <summary>Polls hangfire.job every 250 ms until <paramref name="jobs"/> jobs succeeded; a failed one fails the run.</summary>
    public async Task WaitForSucceededAsync(int jobs, TimeSpan limit)
    {
        await using var connection = await BenchCluster.OpenAsync(_database ?? throw new InvalidOperationException("no database is open"));
        await BenchCluster.WaitUntilAsync(async () =>
        {
            await using var command = BenchCluster.Command(connection,
                "SELECT count(*) FILTER (WHERE statename = 'Succeeded'), count(*) FILTER (WHERE statename = 'Failed') FROM hangfire.job");
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            return reader.GetInt64(1) > 0
                ? throw new InvalidOperationException($"{reader.GetInt64(1)} Hangfire jobs failed")
                : reader.GetInt64(0) >= jobs;
        }, limit, $"{jobs} Hangfire jobs succeeded");
    }

    /// <summary>Closes the node's input, so that it exits; kills it when it has not within 30 s.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync().WaitAsync(ExitLimit);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    /// <summary>Sends one command and returns what follows <c>ok</c> in its reply.</summary>
    private async Task<string> SendAsync(string command)
    {
        var process = _process ?? throw new InvalidOperationException("the Hangfire node is not started");
        await process.StandardInput.WriteLineAsync(command);
        await process.StandardInput.FlushAsync();
        while (await process.StandardOutput.ReadLineAsync() is { } reply)
        {
            if (reply.StartsWith("ok", StringComparison.Ordinal))
            {
                return reply[2..];
            }

            if (reply.StartsWith("error:", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"the Hangfire node answered '{command}' with {reply}");
            }

            _log.Add(reply); // Hangfire's own output, if any.
        }

        throw new InvalidOperationException($"the Hangfire node exited during '{command}': {_log}");
    }

    /// <summary>A database the node has open; disposing it closes it, once.</summary>
    public sealed class OpenDatabase(HangfireChildProcess node) : IAsyncDisposable
    {
        private bool _closed;

        /// <summary>Stops the server and closes the node's connections, whose backends flush their statistics as they exit.</summary>
        public async ValueTask DisposeAsync()
        {
            if (!_closed)
            {
                _closed = true;
                await node.SendAsync("close");
            }
        }
    }
}
