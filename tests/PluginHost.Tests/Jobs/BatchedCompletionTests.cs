using PluginHost.Addons.QueueJob;
using PluginHost.Host.Hosting;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// A channel's <c>batch=N</c> (issue 8, point 4): up to N of its jobs commit their <c>done</c> together, each in a
/// savepoint, so one job's failure leaves the others of its batch done.
/// </summary>
public sealed class BatchedCompletionTests
{
    private TestDatabase _database = null!;
    private BootedHost _host = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _database = new TestDatabase();
        var options = _database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with
        {
            ServerWideModules = ["web", "queue_job"], Init = ["test_queue_job"], Workers = 2,
        };
        _host = await TestHost.BootAsync(options, new Dictionary<string, string?> { ["queue_job:channels"] = "root:2:batch=5" });
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task Jobs_of_a_batched_channel_commit_by_batches_of_at_most_n_each_once()
    {
        await EnqueueAsync(30, (batch, job, _) => batch.Add(job, x => x.NoteTransactionAsync()));

        await _host.Host.StartAsync();
        await UntilFinishedAsync(30);

        Assert.That(await _database.ColumnAsync<string>("SELECT DISTINCT state FROM queue_job"), Is.EqualTo(new[] { "done" }));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM test_queue_job WHERE note IS NOT NULL"), Is.EqualTo(30), "each job's write committed");
        var batches = await _database.ColumnAsync<long>("SELECT count(*) FROM test_queue_job GROUP BY note");
        Assert.That(batches, Has.Count.LessThan(30), "some jobs committed together");
        Assert.That(batches, Is.All.LessThanOrEqualTo(5), "no commit holds more than batch=5 jobs");
    }

    [Test]
    public async Task A_failing_job_is_rolled_back_to_its_savepoint_and_the_others_of_its_batch_stay_done()
    {
        await EnqueueAsync(10, (batch, job, i) => _ = i == 0 ? batch.Add(job, x => x.FailNow()) : batch.Add(job, x => x.AppendNoteAsync("x")));

        await _host.Host.StartAsync();
        await UntilFinishedAsync(10);

        Assert.That(await _database.ColumnAsync<string>("SELECT state || ' ' || coalesce(exc_message, '') FROM queue_job ORDER BY id"),
            Is.EqualTo(new[] { "failed cannot go on" }.Concat(Enumerable.Repeat("done ", 9))));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM test_queue_job WHERE note = 'x'"), Is.EqualTo(9));
    }

    [Test]
    public async Task A_batch_whose_transaction_is_lost_gives_its_jobs_back_and_each_commits_once()
    {
        await EnqueueAsync(10, (batch, job, i) => _ = i == 2 ? batch.Add(job, x => x.KillSessionOnceAsync(_database.Name)) : batch.Add(job, x => x.AppendNoteAsync("x")));

        await _host.Host.StartAsync();
        await UntilFinishedAsync(10);

        Assert.That(await _database.ColumnAsync<string>("SELECT DISTINCT state FROM queue_job"), Is.EqualTo(new[] { "done" }));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM test_queue_job WHERE note = 'x'"), Is.EqualTo(9),
            "the writes of the lost batch were rolled back, and each job's committed once");
    }

    [Test]
    public async Task Jobs_that_do_not_use_the_database_between_others_leave_each_job_its_own_savepoint()
    {
        // Runs of x, a job without statements, a job that writes y then fails, and another without statements.
        await EnqueueAsync(20, (batch, job, i) => _ = (i % 4) switch
        {
            0 => batch.Add(job, x => x.AppendNoteAsync("x")),
            2 => batch.Add(job, x => x.AppendNoteThenFailAsync("y")),
            _ => batch.Add(job, x => x.Noop()),
        });

        await _host.Host.StartAsync();
        await UntilFinishedAsync(20);

        Assert.That(await _database.ColumnAsync<string>(
                "SELECT j.state || ' ' || coalesce(r.note, '-') FROM queue_job j JOIN test_queue_job r ON r.id = (j.record_ids ->> 0)::bigint ORDER BY r.id"),
            Is.EqualTo(Enumerable.Range(0, 20).Select(i => (i % 4) switch { 0 => "done x", 2 => "failed -", _ => "done -" })));
    }

    [Test]
    public async Task Failures_one_after_the_other_in_a_batch_each_keep_their_outcome()
    {
        await EnqueueAsync(12, (batch, job, i) => _ = i % 2 == 0 ? batch.Add(job, x => x.FailNow()) : batch.Add(job, x => x.AppendNoteThenFailAsync("y")));

        await _host.Host.StartAsync();
        await UntilFinishedAsync(12);

        Assert.That(await _database.ColumnAsync<string>("SELECT DISTINCT state FROM queue_job"), Is.EqualTo(new[] { "failed" }));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM test_queue_job WHERE note IS NOT NULL"), Is.Zero, "every failed job's write was rolled back");
    }

    [Test]
    public async Task A_job_that_writes_then_fails_first_in_its_batch_rolls_back_alone_and_the_batch_goes_on()
    {
        // The first job a slot claims runs alone: job 0 writes then fails with nothing before it in its transaction.
        await EnqueueAsync(16, (batch, job, i) => _ = i % 5 == 0 ? batch.Add(job, x => x.AppendNoteThenFailAsync("y")) : batch.Add(job, x => x.AppendNoteAsync("x")));

        await _host.Host.StartAsync();
        await UntilFinishedAsync(16);

        Assert.That(await _database.ColumnAsync<string>(
                "SELECT j.state || ' ' || coalesce(r.note, '-') FROM queue_job j JOIN test_queue_job r ON r.id = (j.record_ids ->> 0)::bigint ORDER BY r.id"),
            Is.EqualTo(Enumerable.Range(0, 16).Select(i => i % 5 == 0 ? "failed -" : "done x")));
    }

    [Test]
    public async Task A_batch_with_a_job_requeued_while_it_ran_commits_none_of_its_writes_and_each_job_commits_once()
    {
        var key = Guid.NewGuid().ToString();
        await EnqueueAsync(10, (batch, job, i) => _ = i == 3 ? batch.Add(job, x => x.RequeueItselfOnceAsync(key)) : batch.Add(job, x => x.AppendNoteAsync("x")));

        await _host.Host.StartAsync();
        await UntilFinishedAsync(10);

        Assert.That(await _database.ColumnAsync<string>("SELECT DISTINCT state FROM queue_job"), Is.EqualTo(new[] { "done" }));
        Assert.That(await _database.ColumnAsync<string>("SELECT note FROM test_queue_job ORDER BY id"), Is.EqualTo(Enumerable.Repeat("x", 10)),
            "the batch's writes were rolled back with the try taken from it, and each job committed once");
    }

    /// <summary>One record per <paramref name="count"/>, and its job delayed by <paramref name="add"/> (given its index).</summary>
    private async Task EnqueueAsync(int count, Action<JobBatch, DelayedCall<TestQueueJobModel>, int> add)
    {
        await using var env = await _host.Database.BeginAsync();
        var records = env.Model<TestQueueJobModel>();
        var batch = new JobBatch();
        for (var i = 0; i < count; i++)
        {
            add(batch, records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = $"job {i}" })).WithDelay(), i);
        }

        await batch.EnqueueAsync();
        await env.CommitAsync();
    }

    private async Task UntilFinishedAsync(int count) =>
        Assert.That(await Eventually.UntilAsync(async () =>
            await _database.ScalarAsync<long>("SELECT count(*) FROM queue_job WHERE state IN ('done', 'failed')") == count, 60), Is.True, "every job finished");
}
