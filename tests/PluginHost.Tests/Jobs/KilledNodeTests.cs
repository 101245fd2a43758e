using PluginHost.Addons.QueueJob;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Host.Configuration;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// Two <c>host</c> processes on one database; the node holding the runner lock, while running jobs, is killed with
/// SIGKILL. The other node's runner takes over, and the interrupted jobs run again and end done, each job's effect
/// committed exactly once.
/// </summary>
public sealed class KilledNodeTests
{
    private const int JobCount = 10;

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
    public async Task The_active_runner_node_killed_mid_job_a_standby_takes_over_and_every_job_is_done_exactly_once()
    {
        await using var listener = await _database.ListenAsync();
        _nodes.Add(StartNode());
        _nodes.Add(StartNode());
        await EnqueueAsync();

        // Both nodes run jobs (root:4, two workers each); wait until the runner's node has one started.
        await listener.UntilAsync(async () => await _database.ScalarAsync<long>(
            $"SELECT count(*) FROM queue_job WHERE state = 'started' AND worker_node = ({RunnerNode})") > 0, 60);
        var runnerPid = await _database.ScalarAsync<int>($"SELECT pid FROM queue_job_node WHERE id = ({RunnerNode})");
        var interrupted = await _database.ColumnAsync<string>($"SELECT uuid FROM queue_job WHERE state = 'started' AND worker_node = ({RunnerNode})");
        await _nodes.Single(n => n.Pid == runnerPid).KillAsync();
        await listener.UntilAsync(async () => await _database.ScalarAsync<long>("SELECT count(*) FROM queue_job WHERE state IN ('done', 'failed')") == JobCount, 90);

        Assert.That(await _database.ColumnAsync<string>("SELECT DISTINCT state FROM queue_job"), Is.EqualTo(new[] { "done" }));
        Assert.That(await _database.ColumnAsync<string>("SELECT DISTINCT note FROM test_queue_job WHERE name LIKE 'job %'"), Is.EqualTo(new[] { "x" }), "each job's effect committed once");
        Assert.That(await _database.ColumnAsync<int>("SELECT retry FROM queue_job WHERE uuid = ANY($1)", (object)interrupted.ToArray()),
            Is.Not.Empty.And.All.EqualTo(2), "the interrupted tries counted");
        Assert.That(await _database.ScalarAsync<int>($"SELECT pid FROM queue_job_node WHERE id = ({RunnerNode})"),
            Is.EqualTo(_nodes.Single(n => !n.HasExited).Pid), "the standby is the runner now");
    }

    /// <summary>The node whose runner holds the database's advisory lock, from its connection's application name.</summary>
    private static string RunnerNode => $"""
        SELECT n.id FROM pg_locks l
        JOIN pg_stat_activity a ON a.pid = l.pid
        JOIN queue_job_node n ON left('{JobRunner.ApplicationName}' || n.id, 63) = a.application_name
        WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database()
        """;

    private ServerOptions Options() => _database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with { ServerWideModules = [] };

    private HostProcess StartNode() =>
        HostProcess.Start(Options(), workers: 2, new Dictionary<string, string> { ["CHANNELS"] = "root:4", ["NODE_TIMEOUT"] = "3" });

    private async Task EnqueueAsync()
    {
        await using var host = await TestHost.BootAsync(Options());
        await using var env = await host.Database.BeginAsync();
        var records = env.Model<TestQueueJobModel>();
        for (var i = 0; i < JobCount; i++)
        {
            var record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = $"job {i}" }));
            await record.WithDelay(maxRetries: 3).EnqueueAsync(x => x.MarkThenWaitAsync(1500));
        }

        await env.CommitAsync();
    }
}
