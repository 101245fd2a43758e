using PluginHost.Addons.QueueJob;
using PluginHost.Addons.QueueJob.Testing;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>Many delayed calls stored in one statement (issue 8, point 3): one job per call, identity keys honoured.</summary>
public sealed class JobBatchTests : JobTestBase
{
    [Test]
    public async Task Each_call_gives_its_own_job_in_order_with_its_own_properties()
    {
        var jobs = await Jobs.EnqueueAsync(r => new JobBatch()
            .Add(r.WithDelay(priority: 1), x => x.WriteNoteAsync("a"))
            .Add(r.WithDelay(priority: 2, channel: "sub"), x => x.WriteNoteAsync("b"))
            .Add(r.WithDelay(priority: 3), x => x.FailNow())
            .EnqueueAsync());

        var stored = await Jobs.Database.ColumnAsync<string>(
            "SELECT uuid || ' ' || priority || ' ' || channel || ' ' || method_name || ' ' || args::text FROM queue_job ORDER BY priority");
        Assert.That(stored, Is.EqualTo(new[]
        {
            $"{jobs[0].Uuid} 1 root WriteNoteAsync [\"a\"]",
            $"{jobs[1].Uuid} 2 root.sub WriteNoteAsync [\"b\"]",
            $"{jobs[2].Uuid} 3 root FailNow []",
        }));
        Assert.That(jobs.Select(j => j.State), Is.All.EqualTo("pending"));
    }

    [Test]
    public async Task A_key_waiting_in_the_table_or_earlier_in_the_batch_returns_that_job()
    {
        var waiting = await Jobs.EnqueueAsync(r => r.WithDelay(identityKey: "old").EnqueueAsync(x => x.WriteNoteAsync("old")));

        var jobs = await Jobs.EnqueueAsync(r => new JobBatch()
            .Add(r.WithDelay(identityKey: "old"), x => x.WriteNoteAsync("again"))
            .Add(r.WithDelay(identityKey: "new"), x => x.WriteNoteAsync("first"))
            .Add(r.WithDelay(identityKey: "new"), x => x.WriteNoteAsync("second"))
            .Add(r.WithDelay(), x => x.WriteNoteAsync("unkeyed"))
            .EnqueueAsync());

        Assert.That(jobs[0].Uuid, Is.EqualTo(waiting.Uuid));
        Assert.That(jobs[2].Uuid, Is.EqualTo(jobs[1].Uuid));
        Assert.That(await Jobs.Database.ColumnAsync<string>("SELECT args::text FROM queue_job ORDER BY id"),
            Is.EqualTo(new[] { "[\"old\"]", "[\"first\"]", "[\"unkeyed\"]" }));
    }

    [Test]
    public async Task A_batch_is_trapped_like_single_calls()
    {
        using var trap = JobsTrap.Start();

        await Jobs.EnqueueAsync(r => new JobBatch()
            .Add(r.WithDelay(), x => x.WriteNoteAsync("a"))
            .Add(r.WithDelay(), x => x.WriteNoteAsync("b"))
            .EnqueueAsync());

        trap.AssertJobsCount(2);
        Assert.That(await Jobs.Database.ScalarAsync<long>("SELECT count(*) FROM queue_job"), Is.Zero);
    }
}
