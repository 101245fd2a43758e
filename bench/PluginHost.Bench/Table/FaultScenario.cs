using System.Diagnostics;
using System.Globalization;
using Npgsql;
using PluginHost.Addons.QueueJob.Internal;

namespace PluginHost.Bench.Table;

/// <summary>
/// Faults, PluginHost only. <b>Runner paused</b>: two host.dll nodes (2 workers, root:4, node_timeout 5 s) serve one
/// database; the active runner's process is frozen with SIGSTOP, the standby's takeover is timed, then jobs are
/// enqueued and timed until done while the frozen node is still stopped. <b>Purge</b>: N done jobs 60 days old are in
/// the table when the host starts; its start-up purge deletes them in batches while jobs enqueued one at a time are
/// timed from commit to done.
/// </summary>
internal sealed class FaultScenario(TableOptions options) : IScenario
{
    private const int NodeWorkers = 2;
    private const int PurgeWorkers = 4;
    private const string Channels = "root:4";

    /// <summary>The lock holder's node, read through the postgres database so the polls do not count against the bench database.</summary>
    private const string RunnerNode = """
        SELECT substr(a.application_name, length($2) + 1)
        FROM pg_locks l
        JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory'
          AND l.granted
          AND l.objsubid = 1
          AND l.database = (SELECT oid FROM pg_database WHERE datname = $1)
          AND ((l.classid::bigint << 32) | l.objid::bigint) = $3
          AND starts_with(a.application_name, $2)
        LIMIT 1
        """;

    /// <summary>Done or cancelled jobs past the default retention, counted through queue_job_finished_index.</summary>
    private const string CountExpired = """
        SELECT count(*)
        FROM queue_job
        WHERE state IN ('done', 'cancelled')
          AND coalesce(date_done, date_cancelled, date_created) < now() - interval '30 days'
        """;

    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan TakeoverTarget = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan TakeoverPoll = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan PurgePoll = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan ExpiredAge = TimeSpan.FromDays(60);

    public string Title => "Faults";

    public IReadOnlyList<string> Systems => [PausedRunner, Purge];

    public string? Reference => null;

    private static string PausedRunner => $"{Table.Systems.PluginHost} (host.dll ×2), runner paused (SIGSTOP)";

    private string Purge => $"{Table.Systems.PluginHost}, start-up purge of {options.ExpiredJobs:N0} old jobs";

    /// <summary>The purge's bound: generous, about 2,000 deleted jobs a second at the least.</summary>
    private TimeSpan PurgeLimit => TimeSpan.FromSeconds(Math.Max(120, options.ExpiredJobs / 2000));

    public Task<Measurement> RunAsync(string system) => system == PausedRunner ? PausedRunnerAsync() : PurgeAsync();

    private Task<Measurement> PausedRunnerAsync()
    {
        return BenchCluster.WithDatabaseAsync(async database =>
        {
            // Booted here to install the addons and to enqueue through the delay API; never started: no runner here.
            await using var enqueuer = await InProcessHost.BootAsync(database, NodeWorkers, Channels);
            enqueuer.ReleaseIdleConnections();
            await using var first = HostChildProcess.Start(database, NodeWorkers, Channels, NodeTimeout);
            await using var second = HostChildProcess.Start(database, NodeWorkers, Channels, NodeTimeout);
            await using var admin = await BenchCluster.OpenAsync("postgres");
            var (runner, paused) = await ActiveRunnerAsync(admin, database, first, second);
            await Task.Delay(ResourceMeter.IdleFlush);
            await using var meter = await ResourceMeter.StartAsync(database, () => first.Cpu() + second.Cpu());
            var clock = Stopwatch.StartNew();
            paused.Pause();
            try
            {
                var takeover = await WaitForTakeoverAsync(admin, database, runner, clock);
                var drain = await DrainWhilePausedAsync(enqueuer, database, runner, paused);
                var usage = await meter.StopAsync(async () =>
                {
                    paused.Resume();
                    await first.DisposeAsync();
                    await second.DisposeAsync();
                    await enqueuer.DisposeAsync();
                });
                var note = string.Create(CultureInfo.InvariantCulture,
                    $"takeover {takeover.TotalSeconds:0.0} s (node_timeout {NodeTimeout.TotalSeconds:0} s; target ≤ {TakeoverTarget.TotalSeconds:0} s), {options.PausedRunnerJobs} jobs done {drain.TotalSeconds:0.0} s after");
                return new Measurement(options.PausedRunnerJobs, drain, usage) { Note = note };
            }
            finally
            {
                paused.Resume();
            }
        }, create: false);
    }

    /// <summary>Waits until both nodes heartbeat and one holds the runner's lock; returns that node and its process.</summary>
    private static async Task<(string Node, HostChildProcess Process)> ActiveRunnerAsync(
        NpgsqlConnection admin, string database, HostChildProcess first, HostChildProcess second)
    {
        await using var connection = await BenchCluster.OpenAsync(database);
        string? runner = null;
        await BenchCluster.WaitUntilAsync(async () =>
            await BenchCluster.ScalarAsync<long>(connection, "SELECT count(*) FROM queue_job_node") == 2
            && (runner = await RunnerNodeAsync(admin, database)) is not null, TimeSpan.FromSeconds(90), "two nodes up, one leading");
        var pid = await BenchCluster.ScalarAsync<int>(connection, "SELECT pid FROM queue_job_node WHERE id = $1", runner);
        HostChildProcess[] children = [first, second];
        return (runner!, children.SingleOrDefault(c => c.Pid == pid)
            ?? throw new InvalidOperationException($"the runner's node {runner} runs in process {pid}, not a child of the bench"));
    }

    /// <summary>Polls every 50 ms until another node's runner holds the lock; the time since the pause.</summary>
    private static async Task<TimeSpan> WaitForTakeoverAsync(NpgsqlConnection admin, string database, string paused, Stopwatch clock)
    {
        await BenchCluster.WaitUntilAsync(async () => await RunnerNodeAsync(admin, database) is { } node && node != paused,
            TimeSpan.FromSeconds(60), "the standby's takeover", TakeoverPoll);
        return clock.Elapsed;
    }

    private static async Task<string?> RunnerNodeAsync(NpgsqlConnection admin, string database)
    {
        await using var command = BenchCluster.Command(admin, RunnerNode, database, JobRunner.ApplicationName, RunnerLeadership.LockKey);
        return await command.ExecuteScalarAsync() as string;
    }

    /// <summary>
    /// Enqueues the jobs and waits until all are done; the time from the first enqueue to the last <c>date_done</c>.
    /// Throws when the paused node resumed meanwhile, or holds the lease, or ran a job.
    /// </summary>
    private async Task<TimeSpan> DrainWhilePausedAsync(InProcessHost enqueuer, string database, string runner, HostChildProcess paused)
    {
        var start = DateTime.UtcNow;
        for (var i = 0; i < options.PausedRunnerJobs; i++)
        {
            await enqueuer.EnqueueNoopAsync();
        }

        await using var connection = await BenchCluster.OpenAsync(database);
        await DrainScenario.WaitForDoneAsync(connection, options.PausedRunnerJobs, options.Limit);
        if (!paused.IsStopped)
        {
            throw new InvalidOperationException("the paused node was no longer stopped when the jobs were done");
        }

        if (await BenchCluster.ScalarAsync<long>(connection, "SELECT count(*) FROM queue_job_runner_lease WHERE node = $1", runner) > 0
            || await BenchCluster.ScalarAsync<long>(connection, "SELECT count(*) FROM queue_job WHERE worker_node = $1", runner) > 0)
        {
            throw new InvalidOperationException($"the paused node {runner} still holds the lease or ran a job");
        }

        return await BenchCluster.ScalarAsync<DateTime>(connection, "SELECT max(date_done) FROM queue_job") - start;
    }

    private Task<Measurement> PurgeAsync()
    {
        return BenchCluster.WithDatabaseAsync(async database =>
        {
            await using var host = await InProcessHost.BootAsync(database, PurgeWorkers, Channels);
            var rows = await host.CaptureRowsAsync();
            await using var connection = await BenchCluster.OpenAsync(database);
            await rows.InsertDoneAsync(connection, options.ExpiredJobs, ExpiredAge);
            await BenchCluster.ExecuteAsync(connection, "VACUUM ANALYZE queue_job");
            using var stop = new CancellationTokenSource();
            var clock = Stopwatch.StartNew();
            await host.StartAsync();
            var purge = WaitForPurgeAsync(database, clock, stop.Token);
            try
            {
                await WaitForRunnerAsync(connection);
                var (latencies, elapsed) = await EnqueueDuringPurgeAsync(host, connection);
                var left = await BenchCluster.ScalarAsync<long>(connection, CountExpired);
                var purged = await purge;
                var note = string.Create(CultureInfo.InvariantCulture,
                    $"commit → done; {left:N0} old jobs left when the last job was done, purge over {purged.TotalSeconds:0.0} s after the start");
                return new Measurement(options.PurgeJobs, elapsed, Usage: null) { Latencies = Latencies.Of(latencies, LoadAverage.Current()), Note = note };
            }
            finally
            {
                await stop.CancelAsync();
                await purge.ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }, create: false);
    }

    private static Task WaitForRunnerAsync(NpgsqlConnection connection) =>
        BenchCluster.WaitUntilAsync(async () => await BenchCluster.ScalarAsync<long>(connection,
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND starts_with(application_name, $1)",
            JobRunner.ApplicationName) > 0, TimeSpan.FromSeconds(60), "runner ready");

    /// <summary>
    /// Enqueues the jobs one at a time, <see cref="TableOptions.PurgeGap"/> apart, and waits until all are done; each
    /// job's <c>date_done</c> minus the time its commit returned, and the time from the first commit to the last done.
    /// </summary>
    private async Task<(List<double> Milliseconds, TimeSpan Elapsed)> EnqueueDuringPurgeAsync(InProcessHost host, NpgsqlConnection connection)
    {
        var committed = new Dictionary<string, DateTime>();
        for (var i = 0; i < options.PurgeJobs; i++)
        {
            var job = await host.EnqueueNoopAsync();
            committed[job.Uuid] = DateTime.UtcNow;
            await Task.Delay(options.PurgeGap);
        }

        var uuids = committed.Keys.ToArray();
        await BenchCluster.WaitUntilAsync(async () => await BenchCluster.ScalarAsync<long>(connection,
            "SELECT count(*) FROM queue_job WHERE uuid = ANY($1) AND state = 'done'", (object)uuids) == uuids.Length, options.Limit, $"{uuids.Length} jobs done");
        var done = await DoneTimesAsync(connection, uuids);
        return (committed.Select(c => (done[c.Key] - c.Value).TotalMilliseconds).ToList(), done.Values.Max() - committed.Values.Min());
    }

    private static async Task<Dictionary<string, DateTime>> DoneTimesAsync(NpgsqlConnection connection, string[] uuids)
    {
        var done = new Dictionary<string, DateTime>();
        await using var command = BenchCluster.Command(connection, "SELECT uuid, date_done FROM queue_job WHERE uuid = ANY($1)", (object)uuids);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            done[reader.GetString(0)] = reader.GetDateTime(1);
        }

        return done;
    }

    /// <summary>Polls the expired jobs every 500 ms on its own connection until none is left; the time since the host started.</summary>
    private async Task<TimeSpan> WaitForPurgeAsync(string database, Stopwatch clock, CancellationToken cancellationToken)
    {
        await using var connection = await BenchCluster.OpenAsync(database);
        var deadline = clock.Elapsed + PurgeLimit;
        while (await BenchCluster.ScalarAsync<long>(connection, CountExpired) > 0)
        {
            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"the purge of {options.ExpiredJobs:N0} jobs not over within {PurgeLimit.TotalSeconds:0} s");
            }

            await Task.Delay(PurgePoll, cancellationToken);
        }

        return clock.Elapsed;
    }
}
