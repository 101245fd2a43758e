using Microsoft.Extensions.Logging;
using PluginHost.Addons.QueueJob;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// The failure hook (issue 13, item 6): every <see cref="IJobFailureHandler"/> an addon registers is called once a
/// job's failure is committed, outside its transaction, and only for a failure that is final. The fixture's
/// <see cref="TestFailureHandler"/> records its calls and does what the failure's message asks of it.
/// </summary>
public sealed class JobFailureHandlerTests
{
    /// <summary>How long a test waits for a handler call it expects.</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private ListLoggerProvider _log = null!;
    private ILoggerFactory _logging = null!;
    private JobHarness _jobs = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _log = new ListLoggerProvider();
        _logging = LoggerFactory.Create(builder => builder.AddProvider(_log));
        _jobs = await JobHarness.StartAsync(_logging);
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _jobs.DisposeAsync();
        _logging.Dispose();
        _log.Dispose();
    }

    [Test]
    public async Task A_job_failing_for_good_calls_the_handler_once_with_the_job_and_its_error()
    {
        long recordId = 0;
        var job = await _jobs.EnqueueAsync(r =>
        {
            recordId = r.Id;
            return r.WithDelay(maxRetries: 3).EnqueueAsync(x => x.FailTelling("nothing to do for the handler"));
        });

        await _jobs.RunAsync(job.Uuid);
        var failure = await TestFailureHandler.CalledAsync(job.Uuid).WaitAsync(CallTimeout);

        Assert.Multiple(() =>
        {
            Assert.That(failure.Database.Name, Is.EqualTo(_jobs.Database.Name));
            Assert.That((failure.ModelName, failure.MethodName, failure.Channel), Is.EqualTo(("test.queue.job", nameof(TestQueueJobModel.FailTelling), "root")));
            Assert.That(failure.RecordIds, Is.EqualTo(new[] { recordId }));
            Assert.That(failure.UserId, Is.EqualTo(Env.SuperuserId));
            Assert.That((failure.ExceptionName, failure.ExceptionMessage), Is.EqualTo((typeof(FailedJobError).FullName, "nothing to do for the handler")));
            Assert.That(failure.ExceptionInfo, Does.Contain(nameof(TestQueueJobModel.FailTelling)), "the stack trace");
            Assert.That((failure.Retry, failure.MaxRetries), Is.EqualTo((1, 3)));
        });
        await UntilLaterFailureHandledAsync();
        Assert.That(TestFailureHandler.CallsFor(job.Uuid), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_retryable_failure_calls_no_handler_until_its_last_try_fails()
    {
        var job = await _jobs.EnqueueAsync(r => r.WithDelay(maxRetries: 2).EnqueueAsync(x => x.RetryLater()));

        Assert.That((await _jobs.RunAsync(job.Uuid)).State, Is.EqualTo(JobState.Pending));
        await UntilLaterFailureHandledAsync();
        Assert.That(TestFailureHandler.CallsFor(job.Uuid), Is.Empty, "the job will retry");

        Assert.That((await _jobs.RunAsync(job.Uuid)).State, Is.EqualTo(JobState.Failed));
        var failure = await TestFailureHandler.CalledAsync(job.Uuid).WaitAsync(CallTimeout);
        Assert.That((failure.ExceptionName, failure.ExceptionMessage), Is.EqualTo((typeof(FailedJobError).FullName, "Max. retries (2) reached: later")));
        Assert.That((failure.Retry, failure.MaxRetries), Is.EqualTo((2, 2)));
    }

    [Test]
    public async Task A_job_that_succeeds_calls_no_handler()
    {
        var job = await _jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.WriteNoteAsync("fine")));

        Assert.That((await _jobs.RunAsync(job.Uuid)).State, Is.EqualTo(JobState.Done));
        await UntilLaterFailureHandledAsync();

        Assert.That(TestFailureHandler.CallsFor(job.Uuid), Is.Empty);
    }

    [Test]
    public async Task A_handler_that_throws_is_logged_and_the_job_stays_failed()
    {
        var job = await _jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.FailTelling(TestFailureHandler.Throw)));

        await _jobs.RunAsync(job.Uuid);
        await TestFailureHandler.CalledAsync(job.Uuid).WaitAsync(CallTimeout);

        Assert.That(await Eventually.UntilAsync(() => Task.FromResult(_log.Lines.Any(l =>
            l.Level == LogLevel.Error && l.Message.Contains($"threw for job {job.Uuid}") && l.Exception is InvalidOperationException)), 10), Is.True,
            "the handler's exception is logged with the job");
        var row = await _jobs.ReadAsync(job.Uuid);
        Assert.That((row.State, row.ExcMessage), Is.EqualTo((JobState.Failed, TestFailureHandler.Throw)));
    }

    [Test]
    public async Task Every_final_failure_is_logged_as_a_warning_naming_the_job()
    {
        var job = await _jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.FailTelling("logged")));

        await _jobs.RunAsync(job.Uuid);

        Assert.That(_log.Lines.Where(l => l.Level == LogLevel.Warning).Select(l => l.Message),
            Has.One.Contains($"job {job.Uuid} test.queue.job.FailTelling on root of db {_jobs.Database.Name} failed for good on try 1: {typeof(FailedJobError).FullName}: logged;"));
    }

    [Test]
    public async Task A_handler_writes_in_a_transaction_of_its_own_that_sees_the_job_failed()
    {
        var job = await _jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.FailTelling(TestFailureHandler.Write)));

        await _jobs.RunAsync(job.Uuid);
        await TestFailureHandler.CalledAsync(job.Uuid).WaitAsync(CallTimeout);

        Assert.That(await _jobs.Database.ColumnAsync<string>("SELECT exc_name || ' ' || job_state || ' ' || user_id FROM test_queue_job_failure WHERE job_uuid = $1", job.Uuid),
            Is.EqualTo(new[] { $"{typeof(FailedJobError).FullName} failed {Env.SuperuserId}" }), "committed, and written after the failure was");
    }

    [Test]
    public async Task A_job_past_its_timeout_calls_the_handler_with_the_timeout_error()
    {
        // The fixture's function of Block has a timeout of 1 s. The method blocks well past it: one that ends soon after
        // (1.5 s, as here before) may commit its done before a loaded machine schedules the timeout's handling, and
        // the commit wins that race by design (JobPerformer.RunAsync), leaving no failure to report.
        var job = await _jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.Block(10_000)));

        await _jobs.RunAsync(job.Uuid);
        var failure = await TestFailureHandler.CalledAsync(job.Uuid).WaitAsync(CallTimeout);

        Assert.That(failure.ExceptionName, Is.EqualTo(typeof(JobTimeoutError).FullName));
    }

    /// <summary>
    /// Fails another job and waits for its handler call: failures reach the handlers in the order they were stored, so
    /// any call for an earlier job has been made by then.
    /// </summary>
    private async Task UntilLaterFailureHandledAsync()
    {
        var later = await _jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.FailTelling("a later failure")));
        await _jobs.RunAsync(later.Uuid);
        await TestFailureHandler.CalledAsync(later.Uuid).WaitAsync(CallTimeout);
    }
}
