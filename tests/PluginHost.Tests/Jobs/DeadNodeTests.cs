using Microsoft.Extensions.Hosting;
using Npgsql;
using PluginHost.Addons.QueueJob;
using PluginHost.Host.Hosting;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>Nothing stays stuck: jobs of a node that stopped heartbeating, and enqueued jobs nobody claimed, run again.</summary>
public sealed class DeadNodeTests
{
    private TestDatabase _database = null!;
    private BootedHost _host = null!;

    [SetUp]
    public async Task BootAsync()
    {
        _database = new TestDatabase();
        var options = _database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with { ServerWideModules = ["web", "queue_job"], Init = ["test_queue_job"] };
        _host = await TestHost.BootAsync(options, new Dictionary<string, string?> { ["queue_job:channels"] = "root:2" });
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task Jobs_of_a_dead_node_are_requeued_or_failed_on_their_last_try_and_forgotten_ones_run()
    {
        string survivor, lastTry, forgotten;
        await using (var env = await _host.Database.BeginAsync())
        {
            var records = env.Model<TestQueueJobModel>();
            survivor = (await records.WithDelay(maxRetries: 3).EnqueueAsync(x => x.AppendNoteAsync("survivor"))).Uuid;
            lastTry = (await records.WithDelay(maxRetries: 1).EnqueueAsync(x => x.AppendNoteAsync("last"))).Uuid;
            forgotten = (await records.WithDelay().EnqueueAsync(x => x.AppendNoteAsync("forgotten"))).Uuid;
            // A node that died a while ago while running two jobs, and a job enqueued long ago that nobody claimed.
            await env.ExecuteAsync("INSERT INTO queue_job_node (id, host, pid, heartbeat) VALUES ('dead-node', 'gone', 1, now() - interval '5 minutes')");
            await env.ExecuteAsync("""
                UPDATE queue_job SET state = 'started', worker_node = 'dead-node', retry = 1, date_started = now() - interval '4 minutes'
                WHERE uuid = ANY($1)
                """, new[] { survivor, lastTry });
            await env.ExecuteAsync("UPDATE queue_job SET state = 'enqueued', date_enqueued = now() - interval '5 minutes' WHERE uuid = $1", forgotten);
            await env.CommitAsync();
        }

        await using var listener = await _database.ListenAsync();

        await _host.Host.StartAsync();
        await listener.UntilAsync(async () => await _database.ScalarAsync<long>("SELECT count(*) FROM queue_job WHERE state IN ('done', 'failed')") >= 3);

        Assert.That(await StateAsync(survivor), Is.EqualTo("done 2"));
        Assert.That(await StateAsync(lastTry), Is.EqualTo("failed 1"));
        Assert.That(await _database.ScalarAsync<string>("SELECT exc_message FROM queue_job WHERE uuid = $1", lastTry), Does.Contain("the node running the job stopped"));
        Assert.That(await StateAsync(forgotten), Is.EqualTo("done 1"));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM queue_job_node WHERE id = 'dead-node'"), Is.Zero);
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM queue_job_node"), Is.EqualTo(1), "this node heartbeats");
    }

    private Task<string?> StateAsync(string uuid) => _database.ScalarAsync<string>("SELECT state || ' ' || retry FROM queue_job WHERE uuid = $1", uuid);
}
