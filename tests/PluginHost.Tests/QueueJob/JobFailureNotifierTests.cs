using Microsoft.Extensions.Logging;
using PluginHost.Addons.QueueJob;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Jobs;

/// <summary>The bound on failure handlers (issue 13, item 6): a handler that never returns holds up the next ones only until its timeout.</summary>
public sealed class JobFailureNotifierTests : JobTestBase
{
    [Test]
    public async Task A_handler_that_never_returns_is_left_at_its_timeout_and_the_next_handler_is_called()
    {
        using var log = new ListLoggerProvider();
        using var logging = LoggerFactory.Create(builder => builder.AddProvider(log));
        var stuck = new StuckHandler();
        var next = new SignallingHandler();
        using var notifier = new JobFailureNotifier([stuck, next], logging.CreateLogger("failures"), handlerTimeout: TimeSpan.FromMilliseconds(200));

        await notifier.NotifyAsync(Failure("stuck-job"));

        Assert.That(await next.Called.Task.WaitAsync(TimeSpan.FromSeconds(30)), Is.EqualTo("stuck-job"));
        Assert.That(stuck.TokenCancelled, Is.True, "the stuck handler's token was cancelled at the timeout");
        Assert.That(log.Lines.Select(l => l.Message), Has.One.Contains("StuckHandler took longer than 00:00:00.2000000 for job stuck-job"));
    }

    private JobFailedContext Failure(string uuid) => new()
    {
        Database = Jobs.Host.Database, Uuid = uuid, ModelName = "test.queue.job", MethodName = "FailNow", RecordIds = [], UserId = null,
        Channel = "root", ExceptionName = "E", ExceptionMessage = "m", ExceptionInfo = "i", Retry = 1, MaxRetries = 5,
    };

    /// <summary>Never returns, whatever its token says; notes when its token is cancelled.</summary>
    private sealed class StuckHandler : IJobFailureHandler
    {
        public bool TokenCancelled { get; private set; }

        public Task OnJobFailedAsync(JobFailedContext failure, CancellationToken cancellationToken)
        {
            cancellationToken.Register(() => TokenCancelled = true);
            return new TaskCompletionSource().Task;
        }
    }

    /// <summary>Completes <see cref="Called"/> with the job's uuid.</summary>
    private sealed class SignallingHandler : IJobFailureHandler
    {
        public TaskCompletionSource<string> Called { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task OnJobFailedAsync(JobFailedContext failure, CancellationToken cancellationToken)
        {
            Called.TrySetResult(failure.Uuid);
            return Task.CompletedTask;
        }
    }
}
