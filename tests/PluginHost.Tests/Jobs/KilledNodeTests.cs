using Npgsql;
using PluginHost.Addons.QueueJob;
using PluginHost.Host.Configuration;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// Two <c>host</c> processes on one database; the node running a job is killed with SIGKILL. The other node's runner
/// takes over and the interrupted job runs again and ends done, its effect committed exactly once.
/// </summary>
public sealed class KilledNodeTests
{
    private const int JobCount = 6;

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
    public async Task A_job_started_on_a_killed_node_is_requeued_and_done_exactly_once()
    {
        await using var listener = await _database.ListenAsync();
        _nodes.Add(StartNode());
        _nodes.Add(StartNode());
        await EnqueueAsync();

        await listener.UntilAsync(async () => await _database.ScalarAsync<long>(
            "SELECT count(*) FROM queue_job j JOIN queue_job_node n ON n.id = j.worker_node WHERE j.state = 'started'") > 0, 60);
        var (victimPid, killedJob) = await StartedJobAsync();
        await _nodes.Single(n => n.Pid == victimPid).KillAsync();
        await listener.UntilAsync(async () => await _database.ScalarAsync<long>("SELECT count(*) FROM queue_job WHERE state IN ('done', 'failed')") == JobCount, 90);

        Assert.That(await _database.ColumnAsync<string>("SELECT DISTINCT state FROM queue_job"), Is.EqualTo(new[] { "done" }));
        Assert.That(await _database.ColumnAsync<string>("SELECT DISTINCT note FROM test_queue_job WHERE name LIKE 'job %'"), Is.EqualTo(new[] { "x" }), "each job's effect committed once");
        Assert.That(await _database.ScalarAsync<int>("SELECT retry FROM queue_job WHERE uuid = $1", killedJob), Is.EqualTo(2), "the interrupted try counted");
    }

    private ServerOptions Options() => _database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with { ServerWideModules = [] };

    private HostProcess StartNode() =>
        HostProcess.Start(Options(), workers: 2, new Dictionary<string, string> { ["CHANNELS"] = "root:2", ["NODE_TIMEOUT"] = "3" });

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

    private async Task<(int Pid, string Uuid)> StartedJobAsync()
    {
        await using var connection = await _database.ConnectAsync();
        await using var command = new NpgsqlCommand("""
            SELECT n.pid, j.uuid FROM queue_job j JOIN queue_job_node n ON n.id = j.worker_node
            WHERE j.state = 'started' ORDER BY j.id LIMIT 1
            """, connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.That(await reader.ReadAsync(), Is.True, "a started job on a registered node");
        return (reader.GetInt32(0), reader.GetString(1));
    }
}
