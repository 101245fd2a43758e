using Microsoft.Extensions.Hosting;
using Npgsql;
using PluginHost.Addons.QueueJob;
using PluginHost.Host.Hosting;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>Channel capacities held by the real runner: a sub-channel runs one job at a time while root has room for more.</summary>
public sealed class ChannelCapacityTests
{
    private TestDatabase _database = null!;
    private BootedHost _host = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _database = new TestDatabase();
        var options = _database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with
        {
            ServerWideModules = ["web", "queue_job"], Init = ["test_queue_job"], Workers = 4,
        };
        _host = await TestHost.BootAsync(options, new Dictionary<string, string?> { ["queue_job:channels"] = "root:4,narrow:1,wide:3" });
        await _host.Host.StartAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task Jobs_of_a_channel_never_exceed_its_capacity()
    {
        await using var listener = await _database.ListenAsync();

        await using (var env = await _host.Database.BeginAsync())
        {
            var records = env.Model<TestQueueJobModel>();
            for (var i = 0; i < 3; i++)
            {
                await records.WithDelay(channel: "narrow").EnqueueAsync(x => x.SampleRunningAsync("root.narrow"));
                await records.WithDelay(channel: "root.wide").EnqueueAsync(x => x.SampleRunningAsync("root.wide"));
            }

            await env.CommitAsync();
        }

        await listener.UntilAsync(async () => await _database.ScalarAsync<long>("SELECT count(*) FROM queue_job WHERE state NOT IN ('done', 'failed')") == 0);

        Assert.That(await _database.ColumnAsync<string>("SELECT DISTINCT state FROM queue_job"), Is.EqualTo(new[] { "done" }));
        Assert.That(await _database.ScalarAsync<string>("SELECT max(result::int)::text FROM queue_job WHERE channel = 'root.narrow'"), Is.EqualTo("1"));
        Assert.That(await _database.ScalarAsync<int>("SELECT max(result::int) FROM queue_job WHERE channel = 'root.wide'"), Is.GreaterThan(1));
    }
}
