using PluginHost.Addons.QueueJob;
using PluginHost.Sdk.Advanced;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>At most one waiting job per identity key, enforced by the database (issue 3, point 6).</summary>
public sealed class IdentityKeyTests : JobTestBase
{

    [Test]
    public async Task A_second_job_with_a_waiting_key_returns_the_first_one()
    {
        var (first, second) = await Jobs.EnqueueAsync(async r =>
            (await r.WithDelay(identityKey: "sync-1").EnqueueAsync(x => x.WriteNoteAsync("a")),
             await r.WithDelay(identityKey: "sync-1").EnqueueAsync(x => x.WriteNoteAsync("b"))));

        Assert.That(second.Uuid, Is.EqualTo(first.Uuid));
        Assert.That(await Jobs.Database.ScalarAsync<long>("SELECT count(*) FROM queue_job"), Is.EqualTo(1));
    }

    [Test]
    public async Task A_done_job_does_not_hold_its_key()
    {
        var first = await Jobs.EnqueueAsync(r => r.WithDelay(identityKey: "sync-1").EnqueueAsync(x => x.WriteNoteAsync("a")));
        await Jobs.RunAsync(first.Uuid);

        var second = await Jobs.EnqueueAsync(r => r.WithDelay(identityKey: "sync-1").EnqueueAsync(x => x.WriteNoteAsync("a")));

        Assert.That(second.Uuid, Is.Not.EqualTo(first.Uuid));
        Assert.That(second.State, Is.EqualTo("pending"));
    }

    [Test]
    public async Task The_exact_key_tells_calls_apart_by_their_arguments()
    {
        var uuids = await Jobs.EnqueueAsync(async r => new[]
        {
            (await r.WithDelay(identityKey: IdentityKey.Exact).EnqueueAsync(x => x.WriteNoteAsync("a"))).Uuid,
            (await r.WithDelay(identityKey: IdentityKey.Exact).EnqueueAsync(x => x.WriteNoteAsync("a"))).Uuid,
            (await r.WithDelay(identityKey: IdentityKey.Exact).EnqueueAsync(x => x.WriteNoteAsync("b"))).Uuid,
        });

        Assert.That(uuids.Distinct().Count(), Is.EqualTo(2));
        Assert.That(uuids[1], Is.EqualTo(uuids[0]));
        Assert.That(await Jobs.Database.ScalarAsync<int>("SELECT min(length(identity_key)) FROM queue_job"), Is.EqualTo(40));
    }

    [Test]
    public async Task Two_transactions_enqueueing_one_key_at_once_store_one_job()
    {
        await using var first = await Jobs.Host.Database.BeginAsync();
        await using var second = await Jobs.Host.Database.BeginAsync();
        var one = await Record(first).WithDelay(identityKey: "once").EnqueueAsync(x => x.WriteNoteAsync("first"));

        var pending = Record(second).WithDelay(identityKey: "once").EnqueueAsync(x => x.WriteNoteAsync("second"));
        await Jobs.Database.UntilBlockedOrDoneAsync(pending, second.NpgsqlConnection().ProcessID);
        await first.CommitAsync();
        var two = await pending;
        await second.CommitAsync();

        Assert.That(two.Uuid, Is.EqualTo(one.Uuid));
        Assert.That(await Jobs.Database.ScalarAsync<long>("SELECT count(*) FROM queue_job WHERE identity_key = 'once'"), Is.EqualTo(1));
    }

    [Test]
    public void Identity_keys_are_refused_on_jobs_of_a_graph()
    {
        Assert.That(async () => await Jobs.EnqueueAsync(r =>
                r.Delayable(identityKey: "k").Call(x => x.WriteNoteAsync("a")).OnDone(r.Delayable().Call(x => x.WriteNoteAsync("b"))).DelayAsync()),
            Throws.InvalidOperationException.With.Message.Contains("Identity keys apply to single jobs"));
    }

    private static TestQueueJobModel Record(PluginHost.Sdk.Env env) => env.Model<TestQueueJobModel>();
}
