using System.Diagnostics;

namespace PluginHost.Bench.Table;

/// <summary>
/// Enqueue, one job per transaction, from 8 concurrent clients: PluginHost's delay API while its host runs (eta a
/// day ahead, so nothing runs but the runner still wakes), the same rows by bare single-row INSERTs, and Hangfire's
/// client with no server running (in a child process, whose CPU is measured).
/// </summary>
internal sealed class EnqueueSingleScenario(TableOptions options, HangfireChildProcess hangfire) : IScenario
{
    public string Title => $"Enqueue {options.EnqueueJobs:N0}, 1 per transaction, {options.EnqueueClients} clients";

    public IReadOnlyList<string> Systems => [Table.Systems.PluginHost, Table.Systems.BareSql, Table.Systems.Hangfire];

    public bool WarmsUp => true;

    public string? Reference => Table.Systems.BareSql;

    public Task<Measurement> RunAsync(string system) => system switch
    {
        Table.Systems.PluginHost => PluginHostAsync(),
        Table.Systems.BareSql => BareSqlAsync(),
        _ => HangfireAsync(),
    };

    private static DateTime Tomorrow => DateTime.UtcNow.AddDays(1);

    private Task<Measurement> PluginHostAsync()
    {
        return BenchCluster.WithDatabaseAsync(async database =>
        {
            await using var host = await InProcessHost.BootAsync(database, DrainScenario.Workers, $"root:{DrainScenario.Workers}");
            await host.StartAsync();
            return await MeasureAsync(database, async _ => await host.EnqueueNoopAsync(Tomorrow), host.DisposeAsync);
        }, create: false);
    }

    private Task<Measurement> BareSqlAsync()
    {
        return BenchCluster.WithDatabaseAsync(async database =>
        {
            QueueJobRows rows;
            await using (var host = await InProcessHost.BootAsync(database, DrainScenario.Workers, $"root:{DrainScenario.Workers}"))
            {
                rows = await host.CaptureRowsAsync();
            }

            var connections = await Task.WhenAll(Enumerable.Range(0, options.EnqueueClients).Select(_ => BenchCluster.OpenAsync(database, maxAutoPrepare: 10)));
            async ValueTask CloseAsync()
            {
                foreach (var connection in connections)
                {
                    await connection.DisposeAsync();
                }
            }

            try
            {
                return await MeasureAsync(database, client => rows.InsertOneAsync(connections[client], priority: 10, Tomorrow), CloseAsync);
            }
            finally
            {
                await CloseAsync();
            }
        }, create: false);
    }

    private Task<Measurement> HangfireAsync()
    {
        return BenchCluster.WithDatabaseAsync(async database =>
        {
            await using var hangfireDatabase = await hangfire.OpenAsync(database);
            await using var meter = await ResourceMeter.StartAsync(database, hangfire.Cpu);
            var clock = Stopwatch.StartNew();
            await hangfire.EnqueueNoopsAsync(options.EnqueueJobs, options.EnqueueClients).WaitAsync(options.Limit);
            clock.Stop();
            return new Measurement(options.EnqueueJobs, clock.Elapsed, await meter.StopAsync(hangfireDatabase.DisposeAsync));
        });
    }

    /// <summary>Runs <see cref="TableOptions.EnqueueJobs"/> calls of <paramref name="enqueue"/>(client) spread over the clients.</summary>
    private async Task<Measurement> MeasureAsync(string database, Func<int, Task> enqueue, Func<ValueTask> release)
    {
        var clients = options.EnqueueClients;
        await using var meter = await ResourceMeter.StartAsync(database);
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            for (var i = client; i < options.EnqueueJobs; i += clients)
            {
                await enqueue(client);
            }
        }))).WaitAsync(options.Limit);
        clock.Stop();
        return new Measurement(options.EnqueueJobs, clock.Elapsed, await meter.StopAsync(release));
    }
}
