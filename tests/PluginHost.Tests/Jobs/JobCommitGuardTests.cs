using PluginHost.Addons.QueueJob;
using PluginHost.Addons.QueueJob.Testing;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// A job cannot commit its own transaction: the executor commits it together with the job's <c>done</c>, so a
/// commit by the job would leave its work committed and the job not done (issue 13).
/// </summary>
public sealed class JobCommitGuardTests : JobTestBase
{
    /// <summary>What the refusal says: why, and how to commit something separately.</summary>
    private static readonly string[] Refusal = ["committed by the queue_job executor together with the job's done", "Env.Database.BeginAsync"];

    [TestCase(false)]
    [TestCase(true)]
    public async Task A_job_committing_its_env_fails_saying_the_executor_commits_it_and_its_write_is_rolled_back(bool throughAnother)
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.CommitOwnTransactionAsync("committed", throughAnother)));

        var row = await Jobs.RunAsync(job.Uuid);

        Assert.That((row.State, row.ExcName), Is.EqualTo(("failed", typeof(InvalidOperationException).FullName)));
        Assert.That(row.ExcMessage, Does.Contain("test.queue.job.CommitOwnTransactionAsync").And.Contains(Refusal[0]).And.Contains(Refusal[1]));
        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT note FROM test_queue_job"), Is.Null, "the job's write is rolled back");
    }

    [Test]
    public async Task A_job_commits_a_transaction_of_its_own_and_is_done()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.WriteNoteInOwnTransactionAsync("own")));

        var row = await Jobs.RunAsync(job.Uuid);

        Assert.That(row.State, Is.EqualTo("done"));
        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT note FROM test_queue_job"), Is.EqualTo("own"));
    }

    [Test]
    public async Task In_a_batch_the_job_committing_its_env_fails_alone_and_the_others_commit_with_their_done()
    {
        var jobs = new List<DelayedJob>
        {
            await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.AppendNoteAsync("a"))),
            await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.CommitOwnTransactionAsync("b", false))),
            await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.AppendNoteAsync("c"))),
        };
        await Jobs.Database.ScalarAsync<object>("UPDATE queue_job SET state = 'enqueued', date_enqueued = now()");

        var claimed = await Jobs.Performer.ClaimAsync(3, CancellationToken.None);
        Assert.That(claimed.Select(c => c.Uuid), Is.EqualTo(jobs.Select(j => j.Uuid)), "one batch, in order");
        await Jobs.Performer.PerformAsync(claimed, new CancellationToken(canceled: true));

        var rows = new List<JobRow>();
        foreach (var job in jobs)
        {
            rows.Add(await Jobs.ReadAsync(job.Uuid));
        }

        Assert.That(rows.Select(r => r.State), Is.EqualTo(new[] { "done", "failed", "done" }));
        Assert.That(rows[1].ExcMessage, Does.Contain(Refusal[0]));
        Assert.That(await Jobs.Database.ColumnAsync<string>("SELECT coalesce(note, '-') FROM test_queue_job ORDER BY id"), Is.EqualTo(new[] { "a", "-", "c" }));
    }

    [Test]
    public async Task A_call_run_at_once_cannot_commit_its_callers_transaction_and_the_caller_still_can()
    {
        await using var env = await Jobs.Host.Database.BeginAsync(context: new Dictionary<string, object?> { ["queue_job__no_delay"] = true });
        var records = env.Model<TestQueueJobModel>();
        var record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = "now" }));

        var refused = Assert.ThrowsAsync<InvalidOperationException>(() => record.WithDelay().EnqueueAsync(x => x.CommitOwnTransactionAsync("now", false)));
        await env.CommitAsync();

        Assert.That(refused!.Message, Does.Contain(Refusal[0]));
        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT note FROM test_queue_job"), Is.EqualTo("now"), "the caller committed what the call wrote");
    }

    [Test]
    public async Task Trapped_jobs_performed_cannot_commit_and_the_test_commits_their_writes_afterwards()
    {
        await using var env = await Jobs.Host.Database.BeginAsync();
        var records = env.Model<TestQueueJobModel>();
        var record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = "trapped" }));
        using var trap = JobsTrap.Start();

        await record.WithDelay().EnqueueAsync(x => x.CommitOwnTransactionAsync("no", false));
        var refused = Assert.ThrowsAsync<InvalidOperationException>(trap.PerformEnqueuedJobsAsync);
        await record.WithDelay().EnqueueAsync(x => x.AppendNoteAsync("+yes"));
        await trap.PerformEnqueuedJobsAsync();
        await env.CommitAsync();

        Assert.That(refused!.Message, Does.Contain(Refusal[0]));
        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT note FROM test_queue_job"), Is.EqualTo("no+yes"));
    }
}
