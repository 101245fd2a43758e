using PluginHost.Addons.QueueJob;
using PluginHost.Addons.QueueJob.Testing;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>The test helpers shipped to addon authors (issue 3, point 10).</summary>
public sealed class JobsTrapTests : JobTestBase
{
    private Env _env = null!;
    private TestQueueJobModel _record = null!;

    [SetUp]
    public async Task OpenEnvironmentAsync()
    {
        _env = await Jobs.Host.Database.BeginAsync();
        var records = _env.Model<TestQueueJobModel>();
        _record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = "trapped" }));
    }

    [TearDown]
    public async Task StopAsync() => await _env.DisposeAsync();

    [Test]
    public async Task Trapped_jobs_are_counted_and_not_stored()
    {
        using var trap = JobsTrap.Start();

        await _record.WithDelay().EnqueueAsync(x => x.AppendNoteAsync("a"));
        await _record.WithDelay().EnqueueAsync(x => x.WriteNoteAsync("b"));

        trap.AssertJobsCount(2);
        trap.AssertJobsCount(1, _record, nameof(TestQueueJobModel.AppendNoteAsync));
        Assert.That(await _env.ScalarAsync<long>("SELECT count(*) FROM queue_job"), Is.Zero);
    }

    [Test]
    public async Task An_enqueued_job_is_asserted_by_records_call_arguments_and_given_properties()
    {
        using var trap = JobsTrap.Start();

        await _record.WithDelay(priority: 5, channel: "root.sub").EnqueueAsync(x => x.AppendNoteAsync("a"));

        Assert.DoesNotThrow(() => trap.AssertEnqueuedJob(_record, x => x.AppendNoteAsync("a")));
        Assert.DoesNotThrow(() => trap.AssertEnqueuedJob(_record, x => x.AppendNoteAsync("a"), new DelayOptions { Priority = 5 }));
        var wrongArgument = Assert.Throws<JobsTrapAssertionException>(() => trap.AssertEnqueuedJob(_record, x => x.AppendNoteAsync("b")))!;
        var wrongPriority = Assert.Throws<JobsTrapAssertionException>(() => trap.AssertEnqueuedJob(_record, x => x.AppendNoteAsync("a"), new DelayOptions { Priority = 1 }))!;

        Assert.That(wrongArgument.Message, Does.StartWith("Job test.queue.job(1,).AppendNoteAsync('b') with properties () was not enqueued.")
            .And.Contain(" * test.queue.job(1,).AppendNoteAsync('a') with properties ()"));
        Assert.That(wrongPriority.Message, Does.Contain("with properties (priority=1) was not enqueued").And.Contain("AppendNoteAsync('a') with properties (priority=5)"));
    }

    [Test]
    public async Task A_count_that_does_not_match_lists_what_was_trapped()
    {
        using var trap = JobsTrap.Start();
        await _record.WithDelay().EnqueueAsync(x => x.AppendNoteAsync("a"));

        Assert.That(() => trap.AssertJobsCount(2), Throws.TypeOf<JobsTrapAssertionException>().With.Message.Contains("Expected 2 trapped job(s), got 1")
            .And.Message.Contains("AppendNoteAsync('a')"));
    }

    [Test]
    public async Task A_second_call_with_a_trapped_identity_key_is_a_call_but_not_a_job()
    {
        using var trap = JobsTrap.Start();

        await _record.WithDelay(identityKey: "k").EnqueueAsync(x => x.AppendNoteAsync("a"));
        await _record.WithDelay(identityKey: "k").EnqueueAsync(x => x.AppendNoteAsync("a"));

        Assert.That((trap.Calls.Count, trap.EnqueuedJobs.Count), Is.EqualTo((2, 1)));
    }

    [Test]
    public async Task Performing_runs_single_jobs_by_priority_and_graphs_in_order_in_the_test_transaction()
    {
        using var trap = JobsTrap.Start();
        await _record.WithDelay(priority: 20).EnqueueAsync(x => x.AppendNoteAsync("z"));
        await _record.WithDelay(priority: 5).EnqueueAsync(x => x.AppendNoteAsync("y"));
        await JobGraph.Chain(
            _record.Delayable().Call(x => x.AppendNoteAsync("1")),
            _record.Delayable().Call(x => x.AppendNoteAsync("2"))).DelayAsync();

        await trap.PerformEnqueuedJobsAsync();

        Assert.That(await _env.ScalarAsync<string>("SELECT note FROM test_queue_job WHERE id = $1", _record.Id), Is.EqualTo("yz12"));
        Assert.That(trap.EnqueuedJobs, Is.Empty);
    }

    [Test]
    public async Task A_job_counter_tells_created_jobs_from_existing_ones()
    {
        await _record.WithDelay().EnqueueAsync(x => x.AppendNoteAsync("before"));
        var counter = await JobCounter.StartAsync(_env);

        await _record.WithDelay().EnqueueAsync(x => x.AppendNoteAsync("after"));
        await _record.WithDelay().EnqueueAsync(x => x.AppendNoteAsync("again"));

        Assert.That((await counter.CountAllAsync(), await counter.CountCreatedAsync(), await counter.CountExistingAsync()), Is.EqualTo((3, 2, 1)));
        Assert.That((await counter.SearchCreatedAsync()).Ids, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Outside_a_trap_jobs_are_stored_again()
    {
        using (JobsTrap.Start())
        {
            await _record.WithDelay().EnqueueAsync(x => x.AppendNoteAsync("a"));
        }

        await _record.WithDelay().EnqueueAsync(x => x.AppendNoteAsync("b"));

        Assert.That(await _env.ScalarAsync<long>("SELECT count(*) FROM queue_job"), Is.EqualTo(1));
    }
}
