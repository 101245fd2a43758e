using Microsoft.Extensions.Hosting;
using PluginHost.Addons.QueueJob;
using PluginHost.Host.Hosting;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// PostgreSQL restarted while a backlog runs (on a cluster of this test's own): the runner, the executors' wake-up
/// and the heartbeat reconnect, and every job ends done with its effect committed once.
/// </summary>
public sealed class DatabaseRestartTests
{
    private const int JobCount = 16;

    private PrivateCluster _cluster = null!;
    private TestDatabase _database = null!;
    private BootedHost _host = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _cluster = await PrivateCluster.StartAsync();
        _database = new TestDatabase(_cluster.ConnectionString);
        var options = _database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with
        {
            ServerWideModules = ["web", "queue_job"], Init = ["test_queue_job"], Workers = 2,
        };
        _host = await TestHost.BootAsync(options, new Dictionary<string, string?> { ["queue_job:channels"] = "root:2" });
        await _host.Host.StartAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Test]
    public async Task The_runner_reconnects_after_a_restart_and_finishes_the_backlog()
    {
        await using (var env = await _host.Database.BeginAsync())
        {
            var records = env.Model<TestQueueJobModel>();
            for (var i = 0; i < JobCount; i++)
            {
                var record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = $"job {i}" }));
                await record.WithDelay().EnqueueAsync(x => x.MarkThenWaitAsync(1000));
            }

            await env.CommitAsync();
        }

        // Polled: a LISTEN connection would not survive the restart. Restart while jobs run.
        Assert.That(await Eventually.UntilAsync(() => _database.ScalarAsync<bool>(
            "SELECT count(*) FILTER (WHERE state = 'done') >= 2 AND count(*) FILTER (WHERE state = 'started') >= 1 FROM queue_job"), 30, 10), Is.True);
        await _cluster.RestartAsync();
        Assert.That(await Eventually.UntilAsync(() => _database.ScalarAsync<bool>("SELECT count(*) = 0 FROM queue_job WHERE state <> 'done'"), 120, 200),
            Is.True, "the backlog is finished");

        Assert.That(await _database.ColumnAsync<string>("SELECT DISTINCT note FROM test_queue_job"), Is.EqualTo(new[] { "x" }), "each job's effect committed once");
        Assert.That(await _database.ScalarAsync<int>("SELECT max(retry) FROM queue_job"), Is.GreaterThanOrEqualTo(2), "a try cut by the restart was run again");
    }
}
