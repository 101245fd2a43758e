using Microsoft.Extensions.Hosting;
using Npgsql;
using PluginHost.Addons.QueueJob;
using PluginHost.Host.Hosting;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// Two hosts on one database: one active runner, executors on both, capacities held across nodes, and after the active
/// node stops (cleanly: its heartbeat row goes), the standby's runner takes over.
/// </summary>
public sealed class MultiNodeTests
{
    private const int JobCount = 12;

    private TestDatabase _database = null!;
    private BootedHost _first = null!;
    private BootedHost _second = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _database = new TestDatabase();
        var channels = new Dictionary<string, string?> { ["queue_job:channels"] = "root:4,sub:2" };
        _first = await TestHost.BootAsync(Options(["test_queue_job"]), channels);
        await _first.Host.StartAsync();
        _second = await TestHost.BootAsync(Options([]), channels);
        await _second.Host.StartAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _second.DisposeAsync();
        await _first.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task Jobs_run_once_each_on_both_nodes_within_the_channel_capacity_and_a_standby_takes_over()
    {
        await using var listener = await _database.ListenAsync();

        await EnqueueAsync(JobCount);
        await UntilDoneAsync(listener, JobCount);

        // The active runner's node stops; the standby's runner takes over and runs new jobs.
        await _first.DisposeAsync();
        _first = await TestHost.BootAsync(Options([]) with { ServerWideModules = [] });
        await EnqueueAsync(2);
        await UntilDoneAsync(listener, JobCount + 2);

        Assert.That(await _database.ColumnAsync<string>("SELECT DISTINCT state FROM queue_job"), Is.EqualTo(new[] { "done" }));
        Assert.That(await _database.ScalarAsync<int>("SELECT max(result::int) FROM queue_job"), Is.LessThanOrEqualTo(2), "root.sub:2 held on both nodes");
        Assert.That(await _database.ColumnAsync<string>("SELECT DISTINCT note FROM test_queue_job"), Is.EqualTo(new[] { "x" }), "each job ran exactly once");
        Assert.That(await _database.ColumnAsync<string>("SELECT DISTINCT worker_node FROM (SELECT worker_node FROM queue_job ORDER BY id DESC LIMIT 2) last"),
            Is.EqualTo(await _database.ColumnAsync<string>("SELECT id FROM queue_job_node")), "after the takeover the remaining node ran the new jobs");
    }

    private PluginHost.Host.Configuration.ServerOptions Options(string[] install) =>
        _database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with { ServerWideModules = ["web", "queue_job"], Init = install, Workers = 2 };

    private async Task EnqueueAsync(int count)
    {
        await using var env = await _second.Database.BeginAsync();
        var records = env.Model<TestQueueJobModel>();
        for (var i = 0; i < count; i++)
        {
            var record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = $"job {i}" }));
            await record.WithDelay(channel: "sub").EnqueueAsync(x => x.CountAndSampleAsync("root.sub"));
        }

        await env.CommitAsync();
    }

    private async Task UntilDoneAsync(NpgsqlConnection listener, int count)
    {
        await listener.UntilAsync(async () => await _database.ScalarAsync<long>("SELECT count(*) FROM queue_job WHERE state IN ('done', 'failed')") >= count, 90);
    }
}
