using PluginHost.Addons.QueueJob;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>Done and cancelled jobs leave after their channel's retention; failed and recent ones stay.</summary>
public sealed class JobPurgeTests : JobTestBase
{
    [Test]
    public async Task Expired_jobs_are_removed_by_their_channels_retention()
    {
        // test_queue_job declares root.sub; give it 2 days and root 30 (the default).
        await Jobs.Database.ScalarAsync<object>("UPDATE queue_job_channel SET removal_interval = 2 WHERE complete_name = 'root.sub'");
        var uuids = await Jobs.EnqueueAsync(async r => new[]
        {
            (await r.WithDelay(channel: "root.sub").EnqueueAsync(x => x.AppendNoteAsync("sub, 3 days"))).Uuid,
            (await r.WithDelay(channel: "root.sub.deeper").EnqueueAsync(x => x.AppendNoteAsync("under sub, 3 days"))).Uuid,
            (await r.WithDelay(channel: "root").EnqueueAsync(x => x.AppendNoteAsync("root, 3 days"))).Uuid,
            (await r.WithDelay(channel: "root").EnqueueAsync(x => x.AppendNoteAsync("root, 40 days"))).Uuid,
            (await r.WithDelay(channel: "root").EnqueueAsync(x => x.AppendNoteAsync("failed, 40 days"))).Uuid,
        });
        await Age(uuids[0], "done", 3);
        await Age(uuids[1], "cancelled", 3);
        await Age(uuids[2], "done", 3);
        await Age(uuids[3], "done", 40);
        await Age(uuids[4], "failed", 40);

        var removed = await JobPurge.PurgeAsync(Jobs.Host.Database, CancellationToken.None);

        Assert.That(removed, Is.EqualTo(3));
        Assert.That(await Jobs.Database.ColumnAsync<string>("SELECT uuid FROM queue_job ORDER BY id"), Is.EqualTo(new[] { uuids[2], uuids[4] }));
    }

    private Task Age(string uuid, string state, int days) => Jobs.Database.ScalarAsync<object>(
        "UPDATE queue_job SET state = $2, date_done = now() - make_interval(days => $3), date_cancelled = now() - make_interval(days => $3) WHERE uuid = $1",
        uuid, state, days);
}
