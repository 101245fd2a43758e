using Microsoft.Extensions.Hosting;
using PluginHost.Addons.QueueJob;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// A running job does not hold its identity key, so a twin may wait while it runs; each way back to waiting (a retry,
/// a requeue, a dead node's rescue) then leaves the twin standing for the job instead of breaking the one-waiting-job
/// index.
/// </summary>
public sealed class IdentityKeyTransitionTests : JobTestBase
{
    private const string NoteOfJob = "SELECT coalesce(note, '') FROM test_queue_job WHERE id = (SELECT (record_ids ->> 0)::bigint FROM queue_job WHERE uuid = $1)";

    [Test]
    public async Task A_running_job_postponed_while_its_twin_waits_is_cancelled_in_favour_of_the_twin()
    {
        var running = await Jobs.EnqueueAsync(r => r.WithDelay(identityKey: "sync-1").EnqueueAsync(x => x.RetryWhenNotedAsync("go", 30)));
        var run = Jobs.RunAsync(running.Uuid);
        Assert.That(await Eventually.UntilAsync(async () => (await Jobs.ReadAsync(running.Uuid)).State == "started", 30, 20), Is.True, "the job runs");

        var twin = await Jobs.EnqueueAsync(r => r.WithDelay(identityKey: "sync-1").EnqueueAsync(x => x.WriteNoteAsync("twin")));
        Assert.That(twin.Uuid, Is.Not.EqualTo(running.Uuid), "a new job is stored beside the running one");
        Assert.That(twin.State, Is.EqualTo("pending"));
        await Jobs.Database.ScalarAsync<object>("UPDATE test_queue_job SET note = 'go' WHERE id = (SELECT (record_ids ->> 0)::bigint FROM queue_job WHERE uuid = $1)", running.Uuid);
        var postponed = await run;

        Assert.That((postponed.State, postponed.Result), Is.EqualTo(("cancelled", $"Cancelled: job {twin.Uuid} with the same identity key waits to run")));
        Assert.That((await Jobs.ReadAsync(twin.Uuid)).State, Is.EqualTo("pending"), "the twin still waits");
        Assert.That(await Jobs.Database.ScalarAsync<long>("SELECT count(*) FROM queue_job WHERE state NOT IN ('cancelled', 'pending')"), Is.Zero, "nothing failed");
    }

    [Test]
    public async Task Requeueing_finished_jobs_whose_key_a_twin_holds_requeues_nothing_and_changes_nothing()
    {
        var done = await Jobs.EnqueueAsync(r => r.WithDelay(identityKey: "sync-2").EnqueueAsync(x => x.WriteNoteAsync("a")));
        Assert.That((await Jobs.RunAsync(done.Uuid)).State, Is.EqualTo("done"));
        var failed = await Jobs.EnqueueAsync(r => r.WithDelay(identityKey: "sync-2").EnqueueAsync(x => x.FailNow()));
        Assert.That((await Jobs.RunAsync(failed.Uuid)).State, Is.EqualTo("failed"));
        var twin = await Jobs.EnqueueAsync(r => r.WithDelay(identityKey: "sync-2").EnqueueAsync(x => x.WriteNoteAsync("b")));

        var requeued = await RequeueAsync(done.Id, failed.Id);

        Assert.That(requeued, Is.Zero);
        Assert.That(await StatesAsync(done.Uuid, failed.Uuid, twin.Uuid), Is.EqualTo(new[] { "done", "failed", "pending" }));
    }

    [Test]
    public async Task Requeueing_two_finished_jobs_of_one_key_requeues_the_first_only()
    {
        var first = await Jobs.EnqueueAsync(r => r.WithDelay(identityKey: "sync-3").EnqueueAsync(x => x.FailNow()));
        await Jobs.RunAsync(first.Uuid);
        var second = await Jobs.EnqueueAsync(r => r.WithDelay(identityKey: "sync-3").EnqueueAsync(x => x.FailNow()));
        await Jobs.RunAsync(second.Uuid);

        var requeued = await RequeueAsync(first.Id, second.Id);

        Assert.That(requeued, Is.EqualTo(1));
        Assert.That(await StatesAsync(first.Uuid, second.Uuid), Is.EqualTo(new[] { "pending", "failed" }));
    }

    [Test]
    public async Task Two_jobs_of_one_key_rescued_from_a_dead_node_leave_one_to_run_and_cancel_the_other()
    {
        var first = await Jobs.EnqueueAsync(r => r.WithDelay(identityKey: "sync-4").EnqueueAsync(x => x.MarkThenWaitAsync(0)));
        await StartOnDeadNodeAsync(first.Uuid);
        var second = await Jobs.EnqueueAsync(r => r.WithDelay(identityKey: "sync-4").EnqueueAsync(x => x.MarkThenWaitAsync(0)));
        Assert.That(second.Uuid, Is.Not.EqualTo(first.Uuid), "a started job does not hold its key");
        await StartOnDeadNodeAsync(second.Uuid);
        await Jobs.Database.ScalarAsync<object>("INSERT INTO queue_job_node (id, host, pid, heartbeat) VALUES ('dead-node', 'gone', 1, now() - interval '5 minutes')");

        await using var listener = await Jobs.Database.ListenAsync();
        var options = Jobs.Database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with { ServerWideModules = ["web", "queue_job"] };
        await using (var runner = await TestHost.BootAsync(options, new Dictionary<string, string?> { ["queue_job:channels"] = "root:2" }))
        {
            await runner.Host.StartAsync();
            await listener.UntilAsync(async () => await Jobs.Database.ScalarAsync<long>("SELECT count(*) FROM queue_job WHERE state IN ('pending', 'enqueued', 'started')") == 0, 60);
            await runner.Host.StopAsync();
        }

        var states = await StatesAsync(first.Uuid, second.Uuid);
        var (kept, cancelled) = states[0] == "cancelled" ? (second, first) : (first, second);
        Assert.That(states, Is.EquivalentTo(new[] { "done", "cancelled" }), "one ran again, the other was cancelled; none started or failed");
        Assert.That((await Jobs.ReadAsync(cancelled.Uuid)).Result, Is.EqualTo($"Cancelled: job {kept.Uuid} with the same identity key waits to run"));
        Assert.That(await Jobs.Database.ScalarAsync<string>(NoteOfJob, kept.Uuid), Is.EqualTo("x"), "the kept job ran once");
        Assert.That(await Jobs.Database.ScalarAsync<string>(NoteOfJob, cancelled.Uuid), Is.Empty, "the cancelled job did not run");
    }

    private Task StartOnDeadNodeAsync(string uuid) => Jobs.Database.ScalarAsync<object>("""
        UPDATE queue_job SET state = 'started', worker_node = 'dead-node', retry = 1, date_started = now() - interval '4 minutes', date_enqueued = now() - interval '4 minutes'
        WHERE uuid = $1
        """, uuid);

    private async Task<int> RequeueAsync(params long[] ids)
    {
        await using var env = await Jobs.Host.Database.BeginAsync();
        var requeued = await ((QueueJob)env.Model<QueueJob>().BrowseIds(ids)).RequeueAsync();
        await env.CommitAsync();
        return requeued;
    }

    private async Task<List<string>> StatesAsync(params string[] uuids)
    {
        var states = new List<string>();
        foreach (var uuid in uuids)
        {
            states.Add((await Jobs.ReadAsync(uuid)).State);
        }

        return states;
    }
}
