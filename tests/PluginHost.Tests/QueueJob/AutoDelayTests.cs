using PluginHost.Addons.QueueJob;
using PluginHost.Addons.QueueJob.Testing;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// Auto-delay (issue 13, item 6; upstream's <c>_patch_job_auto_delay</c>): a method starting with
/// <c>AutoDelayAsync</c> stores a job calling itself when called outside a job, and runs its body as that job, when
/// <c>_job_force_sync</c> or synchronous mode asks, or when its context key is not set.
/// </summary>
public sealed class AutoDelayTests : JobTestBase
{
    [Test]
    public async Task Called_outside_a_job_it_stores_a_job_calling_it_and_its_body_does_not_run()
    {
        await Jobs.EnqueueAsync(async r => { await r.AppendLaterAsync("a"); return 0; });

        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT note FROM test_queue_job"), Is.Null);
        Assert.That(await Jobs.Database.ColumnAsync<string>("SELECT method_name || ' ' || args::text || ' ' || state FROM queue_job"),
            Is.EqualTo(new[] { """AppendLaterAsync ["a"] pending""" }));
    }

    [Test]
    public async Task Run_as_its_job_it_runs_its_body_and_delays_nothing_more()
    {
        await Jobs.EnqueueAsync(async r => { await r.AppendLaterAsync("a"); return 0; });
        var uuid = await Jobs.Database.ScalarAsync<string>("SELECT uuid FROM queue_job");

        var row = await Jobs.RunAsync(uuid!);

        Assert.That(row.State, Is.EqualTo(JobState.Done));
        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT note FROM test_queue_job"), Is.EqualTo("a"));
        Assert.That(await Jobs.Database.ScalarAsync<long>("SELECT count(*) FROM queue_job"), Is.EqualTo(1));
    }

    [TestCase("_job_force_sync")]
    [TestCase("queue_job__no_delay")]
    public async Task The_force_sync_and_no_delay_keys_run_it_at_once(string key)
    {
        await Jobs.EnqueueAsync(async r => { await ((TestQueueJobModel)r.WithEnv(r.Env.WithContext(key, true))).AppendLaterAsync("now"); return 0; });

        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT note FROM test_queue_job"), Is.EqualTo("now"));
        Assert.That(await Jobs.Database.ScalarAsync<long>("SELECT count(*) FROM queue_job"), Is.Zero);
    }

    [TestCase(null, "appended")]
    [TestCase(false, "appended")]
    [TestCase(true, "delayed")]
    public async Task With_a_context_key_it_delays_only_when_the_key_is_true(bool? key, string outcome)
    {
        var said = await Jobs.EnqueueAsync(r =>
            (key is null ? r : (TestQueueJobModel)r.WithEnv(r.Env.WithContext(TestQueueJobModel.AutoDelayKey, key))).AppendWhenAskedAsync("b"));

        Assert.That(said, Does.StartWith(outcome));
        var jobs = await Jobs.Database.ColumnAsync<string>("SELECT uuid || ' ' || priority FROM queue_job");
        Assert.That(jobs, Is.EqualTo(key == true ? new[] { $"{said["delayed as ".Length..]} 3" } : Array.Empty<string>()),
            "the job, with the priority given to WithDelay");
        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT note FROM test_queue_job"), Is.EqualTo(key == true ? null : "b"));
    }

    [Test]
    public async Task A_trapped_auto_delayed_job_runs_its_body_when_performed()
    {
        using var trap = JobsTrap.Start();
        await Jobs.EnqueueAsync(async r =>
        {
            await r.AppendLaterAsync("t");
            trap.AssertJobsCount(1, r, nameof(TestQueueJobModel.AppendLaterAsync));
            await trap.PerformEnqueuedJobsAsync();
            return 0;
        });

        Assert.That(trap.EnqueuedJobs, Is.Empty, "performing it delayed nothing again");
        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT note FROM test_queue_job"), Is.EqualTo("t"));
    }

    [Test]
    public void Naming_another_method_than_the_one_it_is_called_from_is_an_error()
    {
        var error = Assert.ThrowsAsync<ArgumentException>(() => Jobs.EnqueueAsync(async r => { await r.MisnamedAutoDelayAsync(); return 0; }));

        Assert.That(error!.Message, Does.Contain("AutoDelayAsync delays the method it is called from, MisnamedAutoDelayAsync"));
    }
}
