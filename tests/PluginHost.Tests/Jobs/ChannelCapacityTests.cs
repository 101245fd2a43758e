using Microsoft.Extensions.Hosting;
using Npgsql;
using PluginHost.Addons.QueueJob;
using PluginHost.Host.Hosting;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>Channel capacities held by the real runner: a sub-channel runs one job at a time while root has room for more.</summary>
public sealed class ChannelCapacityTests : RunningHostTestBase
{
    protected override string Channels => "root:4,narrow:1,wide:3";

    protected override int Workers => 4;

    [Test]
    public async Task Jobs_of_a_channel_never_exceed_its_capacity()
    {
        await using var listener = await Database.ListenAsync();

        await using (var env = await Host.Database.BeginAsync())
        {
            var records = env.Model<TestQueueJobModel>();
            for (var i = 0; i < 3; i++)
            {
                await records.WithDelay(channel: "narrow").EnqueueAsync(x => x.SampleRunningAsync("root.narrow"));
                await records.WithDelay(channel: "root.wide").EnqueueAsync(x => x.SampleRunningAsync("root.wide"));
            }

            await env.CommitAsync();
        }

        await listener.UntilAsync(async () => await Database.ScalarAsync<long>("SELECT count(*) FROM queue_job WHERE state NOT IN ('done', 'failed')") == 0);

        Assert.That(await Database.ColumnAsync<string>("SELECT DISTINCT state FROM queue_job"), Is.EqualTo(new[] { "done" }));
        Assert.That(await Database.ScalarAsync<string>("SELECT max(result::int)::text FROM queue_job WHERE channel = 'root.narrow'"), Is.EqualTo("1"));
        Assert.That(await Database.ScalarAsync<int>("SELECT max(result::int) FROM queue_job WHERE channel = 'root.wide'"), Is.GreaterThan(1));
    }
}
