using PluginHost.Addons.QueueJob;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>What the executor does with each way a job can end (issue 3, point 4).</summary>
public sealed class JobExecutionTests : JobTestBase
{

    [Test]
    public async Task A_returned_value_is_stored_as_the_result_and_the_write_commits_with_done()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.WriteNoteAsync("hello")));

        var row = await Jobs.RunAsync(job.Uuid);

        Assert.That((row.State, row.Result, row.Retry), Is.EqualTo(("done", "hello", 1)));
        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT note FROM test_queue_job"), Is.EqualTo("hello"));
    }

    [Test]
    public async Task A_value_task_method_is_awaited_before_the_job_is_done()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.EchoLaterAsync("later")));

        var row = await Jobs.RunAsync(job.Uuid);

        Assert.That((row.State, row.Result), Is.EqualTo(("done", "later")));
        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT note FROM test_queue_job"), Is.EqualTo("later"));
    }

    [Test]
    public async Task The_retry_pattern_of_the_job_function_gives_the_eta_of_each_try()
    {
        // {1: 10, 5: 20, 10: 30, 15: 300}: tries 1-4 wait 10 s, tries 5-9 wait 20 s.
        var job = await Jobs.EnqueueAsync(r => r.WithDelay(maxRetries: 0).EnqueueAsync(x => x.FailRetryable(null)));
        var waits = new List<(int Retry, string State, int Eta)>();

        for (var run = 1; run <= 6; run++)
        {
            var row = await Jobs.RunAsync(job.Uuid);
            waits.Add((row.Retry, row.State, (int)Math.Ceiling(row.EtaInSeconds!.Value)));
        }

        Assert.That(waits, Is.EqualTo(new[] { (1, "pending", 10), (2, "pending", 10), (3, "pending", 10), (4, "pending", 10), (5, "pending", 20), (6, "pending", 20) }));
        Assert.That((await Jobs.ReadAsync(job.Uuid)).Channel, Is.EqualTo("root.sub"));
    }

    [Test]
    public async Task Max_retries_three_fails_on_the_third_failure()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay(maxRetries: 3).EnqueueAsync(x => x.FailRetryable(1)));

        var states = new List<string>();
        for (var run = 1; run <= 3; run++)
        {
            states.Add((await Jobs.RunAsync(job.Uuid)).State);
        }

        var row = await Jobs.ReadAsync(job.Uuid);
        Assert.That(states, Is.EqualTo(new[] { "pending", "pending", "failed" }));
        Assert.That((row.Retry, row.ExcName, row.ExcMessage),
            Is.EqualTo((3, typeof(FailedJobError).FullName, "Max. retries (3) reached: must retry")));
    }

    [Test]
    public async Task A_job_takes_its_function_channel_unless_the_call_names_one_and_root_without_a_function()
    {
        var (withFunction, overridden, withoutFunction) = await Jobs.EnqueueAsync(async r => (
            await r.WithDelay().EnqueueAsync(x => x.FailRetryable(1)),
            await r.WithDelay(channel: "root.other").EnqueueAsync(x => x.FailRetryable(1)),
            await r.WithDelay().EnqueueAsync(x => x.RetryLater())));

        Assert.That((await Jobs.ReadAsync(withFunction.Uuid)).Channel, Is.EqualTo("root.sub"));
        Assert.That((await Jobs.ReadAsync(overridden.Uuid)).Channel, Is.EqualTo("root.other"));
        Assert.That((await Jobs.ReadAsync(withoutFunction.Uuid)).Channel, Is.EqualTo("root"));
        Assert.That(await Jobs.Database.ScalarAsync<long>("SELECT count(*) FROM queue_job WHERE job_function_id IS NULL"), Is.EqualTo(1));
    }

    [Test]
    public async Task Seconds_given_by_the_error_win_over_the_retry_pattern()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.FailRetryable(120)));

        var row = await Jobs.RunAsync(job.Uuid);

        Assert.That((row.State, (int)Math.Ceiling(row.EtaInSeconds!.Value), row.Result), Is.EqualTo(("pending", 120, "must retry")));
    }

    [Test]
    public async Task Without_a_pattern_a_retry_waits_ten_minutes()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.RetryLater()));

        var row = await Jobs.RunAsync(job.Uuid);

        Assert.That((row.State, (int)Math.Ceiling(row.EtaInSeconds!.Value)), Is.EqualTo(("pending", RetryPattern.DefaultSeconds)));
    }

    [Test]
    public async Task A_retry_that_ignores_the_try_count_gives_the_try_back()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay(maxRetries: 1).EnqueueAsync(x => x.FailIgnoringRetry()));

        var first = await Jobs.RunAsync(job.Uuid);
        var second = await Jobs.RunAsync(job.Uuid);

        Assert.That((first.State, first.Retry, second.State, second.Retry), Is.EqualTo(("pending", 0, "pending", 0)));
    }

    [Test]
    public async Task A_failed_job_error_fails_at_once()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.FailNow()));

        var row = await Jobs.RunAsync(job.Uuid);

        Assert.That((row.State, row.Retry, row.ExcName, row.ExcMessage), Is.EqualTo(("failed", 1, typeof(FailedJobError).FullName, "cannot go on")));
    }

    [Test]
    public async Task Nothing_to_do_marks_the_job_done_and_rolls_back_its_writes()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.NothingToDoAsync()));

        var row = await Jobs.RunAsync(job.Uuid);

        Assert.That((row.State, row.Result), Is.EqualTo(("done", "already handled elsewhere")));
        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT note FROM test_queue_job"), Is.Null);
    }

    [Test]
    public async Task A_serialization_failure_is_retried_after_five_seconds_within_max_retries()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay(maxRetries: 2).EnqueueAsync(x => x.FailSerialization()));

        var first = await Jobs.RunAsync(job.Uuid);
        var second = await Jobs.RunAsync(job.Uuid);

        Assert.That((first.State, (int)Math.Ceiling(first.EtaInSeconds!.Value)), Is.EqualTo(("pending", 5)));
        Assert.That((second.State, second.ExcMessage), Is.EqualTo(("failed", "Max. retries (2) reached: could not serialize access due to concurrent update")));
    }

    [Test]
    public async Task Any_other_exception_fails_the_job_with_its_name_message_and_stack_trace()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.Crash("boom")));

        var row = await Jobs.RunAsync(job.Uuid);

        Assert.That((row.State, row.ExcName, row.ExcMessage), Is.EqualTo(("failed", "System.InvalidOperationException", "boom")));
        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT exc_info FROM queue_job WHERE uuid = $1", job.Uuid), Does.Contain("TestQueueJobModel.Crash"));
    }
}
