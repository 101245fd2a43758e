using System.Diagnostics;

namespace PluginHost.Bench.Table;

/// <summary>
/// Drain: N pending no-op jobs are in the table when the clock starts; the clock stops when all are done. PluginHost
/// (in process, 16 workers and root:16; 8 workers and root:8:batch=10 for batched completion) gets them from one
/// bare INSERT while it runs; the bare-SQL queues claim one or ten rows per statement from 8 connections; Hangfire's
/// jobs are enqueued before its server (16 workers, in a child process) starts.
/// </summary>
internal sealed class DrainScenario(TableOptions options, HangfireChildProcess hangfire) : IScenario
{
    public const int Workers = 16;

    /// <summary>
    /// Slots of the batched drain: as many as the bare-SQL queues' connections, each claiming ten jobs at a time. With
    /// 16, the claims crowd the head of the pending index (PostgreSQL CPU per job 0.348 ms against 0.234 with 8).
    /// </summary>
    public const int BatchedSlots = 8;

    public string Title => $"Drain {options.Jobs:N0} jobs";

    public IReadOnlyList<string> Systems =>
        [Table.Systems.PluginHost, Table.Systems.PluginHostBatched, Table.Systems.BareSqlOne, Table.Systems.BareSqlTen, Table.Systems.Hangfire];

    public bool WarmsUp => true;

    public string? Reference => Table.Systems.BareSqlOne;

    public Task<Measurement> RunAsync(string system) => system switch
    {
        Table.Systems.PluginHost => PluginHostAsync($"root:{Workers}"),
        Table.Systems.PluginHostBatched => PluginHostAsync($"root:{BatchedSlots}:batch=10", BatchedSlots),
        Table.Systems.BareSqlOne => BareSqlAsync(1),
        Table.Systems.BareSqlTen => BareSqlAsync(10),
        _ => HangfireAsync(),
    };

    private Task<Measurement> PluginHostAsync(string channels, int workers = Workers)
    {
        return BenchCluster.WithDatabaseAsync(async database =>
        {
            await using var host = await InProcessHost.BootAsync(database, workers, channels);
            var rows = await host.CaptureRowsAsync();
            await host.StartAsync();
            await using var connection = await BenchCluster.OpenAsync(database);
            await using var meter = await ResourceMeter.StartAsync(database);
            await rows.InsertManyAsync(connection, options.Jobs, priority: 10);
            var clock = Stopwatch.StartNew();
            await meter.RestartAsync();
            await WaitForDoneAsync(connection, options.Jobs, options.Limit);
            clock.Stop();
            return new Measurement(options.Jobs, clock.Elapsed, await meter.StopAsync(host.DisposeAsync));
        }, create: false);
    }

    /// <summary>
    /// Waits until no job is left to run, looking every 20 ms through the indexes of the waiting and running states
    /// (a count of done jobs every 250 ms stopped the clock up to 250 ms late: a quarter of a 10,000-job batched drain),
    /// then checks that <paramref name="jobs"/> are done; a failed job fails the run.
    /// </summary>
    public static async Task WaitForDoneAsync(Npgsql.NpgsqlConnection connection, int jobs, TimeSpan limit)
    {
        await BenchCluster.WaitUntilAsync(async () => await BenchCluster.ScalarAsync<bool>(connection, """
            SELECT NOT EXISTS (SELECT 1 FROM queue_job WHERE state = 'pending')
               AND NOT EXISTS (SELECT 1 FROM queue_job WHERE state IN ('enqueued', 'started'))
            """), limit, $"{jobs} jobs done", TimeSpan.FromMilliseconds(20));
        await using var command = BenchCluster.Command(connection,
            "SELECT count(*) FILTER (WHERE state = 'done'), count(*) FILTER (WHERE state = 'failed') FROM queue_job");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        if (reader.GetInt64(1) > 0 || reader.GetInt64(0) < jobs)
        {
            throw new InvalidOperationException($"{reader.GetInt64(0)} of {jobs} jobs done, {reader.GetInt64(1)} failed");
        }
    }

    private Task<Measurement> BareSqlAsync(int perClaim)
    {
        return BenchCluster.WithDatabaseAsync(async database =>
        {
            await BareSqlQueue.CreateAsync(database, options.Jobs);
            await using var meter = await ResourceMeter.StartAsync(database);
            var clock = Stopwatch.StartNew();
            await BareSqlQueue.DrainAsync(database, clients: 8, perClaim).WaitAsync(options.Limit);
            clock.Stop();
            var usage = await meter.StopAsync();
            await BareSqlQueue.CheckAllDoneAsync(database, options.Jobs);
            return new Measurement(options.Jobs, clock.Elapsed, usage);
        });
    }

    private Task<Measurement> HangfireAsync()
    {
        return BenchCluster.WithDatabaseAsync(async database =>
        {
            await using var hangfireDatabase = await hangfire.OpenAsync(database);
            await hangfire.EnqueueNoopsAsync(options.Jobs, clients: 8);
            await hangfire.ReleaseAsync();
            await using var meter = await ResourceMeter.StartAsync(database, hangfire.Cpu);
            var clock = Stopwatch.StartNew();
            await hangfire.StartServerAsync(Workers);
            await hangfire.WaitForSucceededAsync(options.Jobs, options.Limit);
            clock.Stop();
            return new Measurement(options.Jobs, clock.Elapsed, await meter.StopAsync(hangfireDatabase.DisposeAsync));
        });
    }
}
