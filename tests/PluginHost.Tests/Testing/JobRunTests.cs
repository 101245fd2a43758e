using Microsoft.Extensions.Logging;
using PluginHost.Addons.QueueJob;
using PluginHost.Sdk;
using PluginHost.Testing;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Testing;

/// <summary>AddonTestHost runs stored jobs through queue_job's executor on demand (issue 13, item 3).</summary>
public sealed class JobRunTests
{
    private ILoggerFactory _logging = null!;
    private AddonTestHost _host = null!;

    [SetUp]
    public async Task StartAsync()
    {
        var log = new ListLoggerProvider();
        _logging = LoggerFactory.Create(b => b.AddProvider(log));
        _host = await AddonTestHost.StartAsync(new AddonTestHostOptions
        {
            Install = ["test_queue_job"],
            AddonsPath = [RepoPaths.Addons, RepoPaths.FixtureAddons],
            ServerConnectionString = TestPostgres.ConnectionString,
            Logging = _logging,
        });

        // How long the template took to build (when this start built it) and the clone: shown, never asserted.
        foreach (var line in log.Lines.Where(l => l.Category == typeof(AddonTestHost).FullName))
        {
            await TestContext.Progress.WriteLineAsync(line.Message);
        }
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        _logging.Dispose();
    }

    [Test]
    public async Task A_failing_job_is_stored_failed_with_its_exception_and_its_writes_rolled_back()
    {
        var job = await EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.AppendNoteThenFailAsync("written")));

        var run = await _host.RunJobAsync(job);

        Assert.That(run, JobIs.Failed.WithException("PluginHost.Addons.QueueJob.FailedJobError").WithMessage("wrote, then failed").WithRetry(1));
        Assert.That(run.ExcInfo, Does.Contain(nameof(TestQueueJobModel.AppendNoteThenFailAsync)));
        Assert.That(await NoteAsync(), Is.Null, "the job's write is rolled back");
    }

    [Test]
    public async Task A_retryable_error_leaves_the_job_pending_with_an_eta_and_the_next_run_ignores_it()
    {
        var job = await EnqueueAsync(r => r.WithDelay(maxRetries: 2).EnqueueAsync(x => x.FailRetryable(3600)));

        var first = await _host.RunJobAsync(job);
        var second = await _host.RunJobAsync(job);

        Assert.That(first, JobIs.Pending.WithRetry(1));
        Assert.That(first.Eta, Is.GreaterThan(DateTimeOffset.UtcNow.AddMinutes(59)));
        Assert.That(second, JobIs.Failed.WithMessage("Max. retries (2) reached").WithRetry(2));
    }

    [Test]
    public async Task Running_a_job_to_its_end_runs_it_again_whatever_its_eta_until_it_ends()
    {
        var retrying = await EnqueueAsync(r => r.WithDelay(maxRetries: 3).EnqueueAsync(x => x.FailRetryable(3600)));
        var writing = await EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.WriteNoteAsync("hello")));

        Assert.That(await _host.RunJobToEndAsync(retrying), JobIs.Failed.WithMessage("Max. retries (3) reached").WithRetry(3));
        Assert.That(await _host.RunJobToEndAsync(writing), JobIs.Done.WithResult("hello").WithRetry(1));
    }

    [Test]
    public async Task Running_a_job_that_retries_for_ever_stops_after_max_runs_naming_the_job()
    {
        var job = await EnqueueAsync(r => r.WithDelay(maxRetries: 0).EnqueueAsync(x => x.RetryLater()));

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => _host.RunJobToEndAsync(job, maxRuns: 3));

        Assert.That(error.Message, Does.Contain("After 3 runs").And.Contain(job.Uuid).And.Contain("is pending"));
    }

    [Test]
    public async Task An_ended_job_is_not_run_again()
    {
        var job = await EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.Noop()));
        Assert.That(await _host.RunJobAsync(job), JobIs.Done);

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => _host.RunJobAsync(job));

        Assert.That(error.Message, Does.Contain(job.Uuid).And.Contain("is done").And.Contain("only a pending or enqueued job runs"));
    }

    private async Task<DelayedJob> EnqueueAsync(Func<TestQueueJobModel, Task<DelayedJob>> delay)
    {
        await using var env = await _host.BeginAsync();
        var records = env.Model<TestQueueJobModel>();
        var job = await delay(records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = "fixture" })));
        await env.CommitAsync();
        return job;
    }

    private async Task<string?> NoteAsync()
    {
        await using var env = await _host.BeginAsync();
        return await env.ScalarAsync<string>("SELECT note FROM test_queue_job");
    }
}
