using PluginHost.Addons.QueueJob;
using PluginHost.Host.Configuration;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// Three <c>host</c> processes with two workers each on one database, <c>root:4,root.sub:2</c>: while 50 one-second
/// jobs of <c>root.sub</c> and 10 of <c>root</c> run, the table is sampled and never shows more running jobs
/// (enqueued or started) than the capacities allow.
/// </summary>
public sealed class ProcessCapacityTests
{
    private const int SubJobs = 50;
    private const int RootJobs = 10;

    private readonly List<HostProcess> _nodes = [];
    private TestDatabase _database = null!;

    [SetUp]
    public async Task InstallAsync()
    {
        _database = new TestDatabase();
        await using var install = await TestHost.BootAsync(Options() with { Init = ["test_queue_job"] });
    }

    [TearDown]
    public async Task StopAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        _nodes.Clear();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task Capacities_hold_across_three_processes_while_fifty_one_second_jobs_run()
    {
        for (var i = 0; i < 3; i++)
        {
            _nodes.Add(HostProcess.Start(Options(), workers: 2, new Dictionary<string, string> { ["CHANNELS"] = "root:4,root.sub:2" }));
        }

        await EnqueueAsync();
        var samples = new List<(long Sub, long All)>();
        await using var connection = await _database.ConnectAsync();
        var deadline = DateTime.UtcNow.AddSeconds(150);
        while (DateTime.UtcNow < deadline)
        {
            await using var command = new Npgsql.NpgsqlCommand("""
                SELECT count(*) FILTER (WHERE channel = 'root.sub' AND state IN ('enqueued', 'started')),
                       count(*) FILTER (WHERE state IN ('enqueued', 'started')),
                       count(*) FILTER (WHERE state NOT IN ('done', 'failed'))
                FROM queue_job
                """, connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            samples.Add((reader.GetInt64(0), reader.GetInt64(1)));
            if (reader.GetInt64(2) == 0)
            {
                break;
            }

            await Task.Delay(50);
        }

        TestContext.Out.WriteLine($"{samples.Count} samples; most running in root.sub {samples.Max(s => s.Sub)}, in all {samples.Max(s => s.All)}");
        Assert.That(await _database.ColumnAsync<string>("SELECT DISTINCT state FROM queue_job"), Is.EqualTo(new[] { "done" }), "every job done within the deadline");
        Assert.That(samples.Max(s => s.Sub), Is.EqualTo(2), "root.sub:2 reached and never exceeded");
        Assert.That(samples.Max(s => s.All), Is.EqualTo(4), "root:4 reached and never exceeded");
        Assert.That(await _database.ColumnAsync<string>("SELECT DISTINCT note FROM test_queue_job"), Is.EqualTo(new[] { "x" }), "each job ran once");
        Assert.That(await _database.ScalarAsync<long>("SELECT count(DISTINCT worker_node) FROM queue_job"), Is.GreaterThan(1), "several processes ran jobs");
    }

    private ServerOptions Options() => _database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons);

    private async Task EnqueueAsync()
    {
        await using var host = await TestHost.BootAsync(Options());
        await using var env = await host.Database.BeginAsync();
        var records = env.Model<TestQueueJobModel>();
        for (var i = 0; i < SubJobs + RootJobs; i++)
        {
            var record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = $"job {i}" }));
            await record.WithDelay(channel: i < SubJobs ? "root.sub" : "root").EnqueueAsync(x => x.MarkThenWaitAsync(1000));
        }

        await env.CommitAsync();
    }
}
