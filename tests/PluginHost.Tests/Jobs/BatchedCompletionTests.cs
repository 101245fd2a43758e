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
        await EnqueueAsync(30, failing: -1, noteTransaction: true);

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
        await EnqueueAsync(10, failing: 0, noteTransaction: false);

        await _host.Host.StartAsync();
        await UntilFinishedAsync(10);

        Assert.That(await _database.ColumnAsync<string>("SELECT state || ' ' || coalesce(exc_message, '') FROM queue_job ORDER BY id"),
            Is.EqualTo(new[] { "failed cannot go on" }.Concat(Enumerable.Repeat("done ", 9))));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM test_queue_job WHERE note = 'x'"), Is.EqualTo(9));
    }

    [Test]
    public async Task A_batch_whose_transaction_is_lost_gives_its_jobs_back_and_each_commits_once()
    {
        await EnqueueAsync(10, failing: -1, noteTransaction: false, killing: 2);

        await _host.Host.StartAsync();
        await UntilFinishedAsync(10);

        Assert.That(await _database.ColumnAsync<string>("SELECT DISTINCT state FROM queue_job"), Is.EqualTo(new[] { "done" }));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM test_queue_job WHERE note = 'x'"), Is.EqualTo(9),
            "the writes of the lost batch were rolled back, and each job's committed once");
    }

    /// <summary>
    /// One record and job per <paramref name="count"/>, appending "x" to its note or writing its transaction's id
    /// there; job <paramref name="failing"/> fails instead, and job <paramref name="killing"/> terminates its session once.
    /// </summary>
    private async Task EnqueueAsync(int count, int failing, bool noteTransaction, int killing = -1)
    {
        await using var env = await _host.Database.BeginAsync();
        var records = env.Model<TestQueueJobModel>();
        var batch = new JobBatch();
        for (var i = 0; i < count; i++)
        {
            var record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = $"job {i}" }));
            if (i == failing)
            {
                batch.Add(record.WithDelay(), x => x.FailNow());
            }
            else if (i == killing)
            {
                batch.Add(record.WithDelay(), x => x.KillSessionOnceAsync(_database.Name));
            }
            else if (noteTransaction)
            {
                batch.Add(record.WithDelay(), x => x.NoteTransactionAsync());
            }
            else
            {
                batch.Add(record.WithDelay(), x => x.AppendNoteAsync("x"));
            }
        }

        await batch.EnqueueAsync();
        await env.CommitAsync();
    }

    private async Task UntilFinishedAsync(int count) =>
        Assert.That(await Eventually.UntilAsync(async () =>
            await _database.ScalarAsync<long>("SELECT count(*) FROM queue_job WHERE state IN ('done', 'failed')") == count, 60), Is.True, "every job finished");
}
