using System.Diagnostics;

namespace PluginHost.Bench.Table;

/// <summary>
/// Commit → start across processes: a real host.dll (4 workers, root:4) runs jobs this process enqueues one at a
/// time, 10 ms apart, after the same jobs once as a warm-up; latency is the job's <c>date_started</c> (set by the
/// claim with <c>clock_timestamp()</c>) minus the time the commit returned here, on the same clock. Hangfire runs in
/// a child process, which enqueues and whose job records its own start, after as many no-op jobs one at a time.
/// </summary>
internal sealed class LatencyScenario(TableOptions options, HangfireChildProcess hangfire) : IScenario
{
    private const int Workers = 4;

    public string Title => $"Latency commit → start, {options.LatencyJobs} jobs one at a time";

    public IReadOnlyList<string> Systems => [Table.Systems.PluginHost + " (host.dll)", Table.Systems.Hangfire];

    public string? Reference => null;

    public Task<Measurement> RunAsync(string system) =>
        system == Table.Systems.Hangfire ? HangfireAsync() : PluginHostAsync();

    private Task<Measurement> PluginHostAsync()
    {
        return BenchCluster.WithDatabaseAsync(async database =>
        {
            // Booted here to install the addons and to enqueue through the delay API; never started: no runner here.
            await using var enqueuer = await InProcessHost.BootAsync(database, Workers, $"root:{Workers}");
            enqueuer.ReleaseIdleConnections();
            await using var child = HostChildProcess.Start(database, Workers, $"root:{Workers}");
            await child.WaitUntilReadyAsync(database, TimeSpan.FromSeconds(60));
            await using var connection = await BenchCluster.OpenAsync(database);
            async Task<Dictionary<string, DateTime>> EnqueueOneAtATimeAsync()
            {
                var committed = new Dictionary<string, DateTime>();
                for (var i = 0; i < options.LatencyJobs; i++)
                {
                    var job = await enqueuer.EnqueueNoopAsync();
                    committed[job.Uuid] = DateTime.UtcNow;
                    await Task.Delay(options.LatencyGap);
                }

                return committed;
            }

            // The same jobs once, not counted: the fresh host's code is compiled (tiered JIT) before the measure, as
            // a long-running node's is and as the Hangfire node's is after the drain.
            await EnqueueOneAtATimeAsync();
            await DrainScenario.WaitForDoneAsync(connection, options.LatencyJobs, options.Limit);
            await Task.Delay(ResourceMeter.IdleFlush);
            await WaitUntilQuietAsync();
            await using var meter = await ResourceMeter.StartAsync(database, child.Cpu);
            var clock = Stopwatch.StartNew();
            var committed = await EnqueueOneAtATimeAsync();
            await DrainScenario.WaitForDoneAsync(connection, options.LatencyJobs, options.Limit);
            clock.Stop();
            var started = await StartTimesAsync(connection);
            var usage = await meter.StopAsync(async () =>
            {
                await child.DisposeAsync();
                await enqueuer.DisposeAsync();
            });
            var latencies = committed.Select(c => (started[c.Key] - c.Value).TotalMilliseconds).ToList();
            return new Measurement(options.LatencyJobs, clock.Elapsed, usage) { Latencies = Latencies.Of(latencies, LoadAverage.Current()) };
        }, create: false);
    }

    private Task<Measurement> HangfireAsync()
    {
        return BenchCluster.WithDatabaseAsync(async database =>
        {
            await using var hangfireDatabase = await hangfire.OpenAsync(database);
            await hangfire.StartServerAsync(Workers);
            for (var i = 0; i < options.LatencyJobs; i++) // the warm-up: as many no-op jobs, one at a time, not counted
            {
                await hangfire.EnqueueNoopsAsync(1, clients: 1);
                await Task.Delay(options.LatencyGap);
            }

            await hangfire.WaitForSucceededAsync(options.LatencyJobs, options.Limit);
            await Task.Delay(ResourceMeter.IdleFlush);
            await WaitUntilQuietAsync();
            await using var meter = await ResourceMeter.StartAsync(database, hangfire.Cpu);
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < options.LatencyJobs; i++)
            {
                await hangfire.ProbeAsync(i);
                await Task.Delay(options.LatencyGap);
            }

            await hangfire.WaitForSucceededAsync(2 * options.LatencyJobs, options.Limit);
            clock.Stop();
            var latencies = await hangfire.LatenciesAsync();
            var usage = await meter.StopAsync(hangfireDatabase.DisposeAsync);
            return new Measurement(options.LatencyJobs, clock.Elapsed, usage) { Latencies = Latencies.Of(latencies, LoadAverage.Current()) };
        });
    }

    /// <summary>
    /// The targets are for a quiet machine: a run waits (up to three minutes, the nodes idle) for the load average the
    /// scenarios before left to fall below 1. A smoke run does not wait.
    /// </summary>
    private Task WaitUntilQuietAsync() =>
        options.Smoke ? Task.CompletedTask : LoadAverage.WaitUntilQuietAsync(TimeSpan.FromMinutes(3));

    private static async Task<Dictionary<string, DateTime>> StartTimesAsync(Npgsql.NpgsqlConnection connection)
    {
        var started = new Dictionary<string, DateTime>();
        await using var command = BenchCluster.Command(connection, "SELECT uuid, date_started FROM queue_job WHERE date_started IS NOT NULL");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            started[reader.GetString(0)] = reader.GetDateTime(1);
        }

        return started;
    }
}
