using System.Diagnostics;

namespace PluginHost.Bench.Table;

/// <summary>
/// Backlog scaling: B pending priority-100 jobs are inserted before the host starts (16 workers, root:16); once its
/// runner is up, K priority-1 jobs are inserted and timed until all K are done. One row per B; the figures of the
/// larger backlogs are divided by those of the smallest. The host's memory is read at the end.
/// </summary>
internal sealed class BacklogScenario(TableOptions options) : IScenario
{
    private const int Workers = 16;

    public string Title => $"Drain {options.BacklogJobs:N0} priority-1 jobs through a backlog";

    public IReadOnlyList<string> Systems => options.Backlogs.Select(Label).ToList();

    public string? Reference => Label(options.Backlogs[0]);

    private static string Label(int backlog) => $"{Table.Systems.PluginHost}, backlog {backlog:N0}";

    public Task<Measurement> RunAsync(string system)
    {
        var backlog = options.Backlogs.Single(b => Label(b) == system);
        return BenchCluster.WithDatabaseAsync(async database =>
        {
            await using var host = await InProcessHost.BootAsync(database, Workers, $"root:{Workers}");
            var rows = await host.CaptureRowsAsync();
            await using var connection = await BenchCluster.OpenAsync(database);
            await rows.InsertManyAsync(connection, backlog, priority: 100);
            await BenchCluster.ExecuteAsync(connection, "ANALYZE queue_job");
            await host.StartAsync();
            await BenchCluster.WaitUntilAsync(async () => await BenchCluster.ScalarAsync<long>(connection,
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'queue_job runner%'") > 0,
                TimeSpan.FromSeconds(60), "runner ready");
            await using var meter = await ResourceMeter.StartAsync(database);
            await rows.InsertManyAsync(connection, options.BacklogJobs, priority: 1);
            var clock = Stopwatch.StartNew();
            await meter.RestartAsync();
            await BenchCluster.WaitUntilAsync(async () => await RemainingAsync(connection) == 0, options.Limit, $"{options.BacklogJobs} jobs done");
            clock.Stop();
            var memory = Memory();
            var usage = await meter.StopAsync(host.DisposeAsync);
            await CheckDoneAsync(connection);
            return new Measurement(options.BacklogJobs, clock.Elapsed, usage) { Note = memory };
        }, create: false);
    }

    /// <summary>Priority-1 jobs not yet done, counted through the partial indexes only (no scan of the backlog).</summary>
    private static Task<long> RemainingAsync(Npgsql.NpgsqlConnection connection) => BenchCluster.ScalarAsync<long>(connection, """
        SELECT (SELECT count(*) FROM queue_job WHERE state = 'pending' AND channel = 'root' AND priority = 1)
             + (SELECT count(*) FROM queue_job WHERE state IN ('enqueued', 'started') AND priority = 1)
        """);

    private async Task CheckDoneAsync(Npgsql.NpgsqlConnection connection)
    {
        var done = await BenchCluster.ScalarAsync<long>(connection, "SELECT count(*) FROM queue_job WHERE priority = 1 AND state = 'done'");
        if (done != options.BacklogJobs)
        {
            throw new InvalidOperationException($"{done} of {options.BacklogJobs} priority-1 jobs done");
        }
    }

    /// <summary>The managed heap after a full collection and the working set of this process, which hosts the node.</summary>
    private static string Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return $"heap {GC.GetTotalMemory(false) / 1048576.0:0} MB, working set {Environment.WorkingSet / 1048576.0:0} MB";
    }
}
