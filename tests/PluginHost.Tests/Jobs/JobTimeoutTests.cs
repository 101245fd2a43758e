using PluginHost.Addons.QueueJob;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// A job function's <c>timeout</c> (1 s for the two fixture functions used here): the job fails with
/// <see cref="JobTimeoutError"/>, its work is rolled back, and the executor is free again, whether the method
/// ignores the cancellation or sits in a database statement.
/// </summary>
public sealed class JobTimeoutTests : JobTestBase
{
    private const string IdleInTransaction = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'";

    [Test]
    public async Task A_method_ignoring_the_cancellation_fails_at_the_timeout_and_its_work_is_rolled_back()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.MarkThenWaitIgnoringCancellationAsync(20_000)));

        var row = await Jobs.RunAsync(job.Uuid);

        // Had the executor waited for the method, the job would be done with its note written.
        Assert.That((row.State, row.ExcName), Is.EqualTo(("failed", typeof(JobTimeoutError).FullName)));
        Assert.That(row.ExcMessage, Does.Contain("timeout of 1 s"));
        Assert.That(await Eventually.UntilAsync(async () => await Jobs.Database.ScalarAsync<long>(IdleInTransaction) == 0, 10), Is.True,
            "the abandoned method's session was ended, its transaction rolled back and its locks freed");
        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT note FROM test_queue_job"), Is.Null);
    }

    [Test]
    public async Task A_method_blocking_its_thread_does_not_hold_the_executor_past_the_timeout()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.Block(20_000)));

        var row = await Jobs.RunAsync(job.Uuid);

        Assert.That((row.State, row.ExcName), Is.EqualTo(("failed", typeof(JobTimeoutError).FullName)));
        Assert.That(TestQueueJobModel.BlockFinished(job.Uuid), Is.False, "the executor was back while the method still blocked");
    }

    [Test]
    public async Task A_statement_running_at_the_timeout_is_cancelled_on_the_server()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.MarkThenSleepInDatabaseAsync(60)));

        var row = await Jobs.RunAsync(job.Uuid);

        Assert.That((row.State, row.ExcName), Is.EqualTo(("failed", typeof(JobTimeoutError).FullName)));
        // The cancel request reaches the server asynchronously; left running, the sleep would last a minute.
        const string Sleeping = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep%' AND state = 'active'";
        Assert.That(await Eventually.UntilAsync(async () => await Jobs.Database.ScalarAsync<long>(Sleeping) == 0, 10), Is.True, "the sleep was cancelled, not left running");
        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT note FROM test_queue_job"), Is.Null);
    }

    [Test]
    public async Task A_job_within_its_timeout_is_done()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.MarkThenWaitIgnoringCancellationAsync(10)));

        var row = await Jobs.RunAsync(job.Uuid);

        Assert.That(row.State, Is.EqualTo("done"), row.ExcMessage);
        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT note FROM test_queue_job"), Is.EqualTo("x"));
    }

    [TestCase(0)]
    [TestCase(-5)]
    [TestCase("soon")]
    public async Task A_timeout_that_is_not_whole_positive_seconds_is_refused_with_the_value_named(object timeout)
    {
        await using var env = await Jobs.Host.Database.BeginAsync();
        var functions = env.Model<QueueJobFunction>();

        var error = Assert.ThrowsAsync<ArgumentException>(() => functions.CreateAsync(new Dictionary<string, object?>
        {
            ["name"] = "<test.queue.job>.WriteNoteAsync", ["timeout"] = timeout,
        }));

        Assert.That(error.Message, Is.EqualTo($"Invalid job function timeout '{timeout}': expected whole seconds above 0, or nothing for no limit."));
    }
}
