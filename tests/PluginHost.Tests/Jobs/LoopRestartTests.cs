using PluginHost.Addons.QueueJob;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// A per-database loop that throws something other than a lost connection is restarted: the runner's lease table
/// renamed away makes its lease renewal (every second with a 3 s node timeout) fail; once it is back, the runner leads
/// again. The failure is logged once, the recovery is logged, and a new failure after the recovery is logged anew.
/// </summary>
public sealed class LoopRestartTests : HostProcessTestBase
{
    private const string Failed = "job runner failed;";
    private const string RunsAgain = "job runner runs again";
    private const string Ready = "queue job runner ready";

    [Test]
    public async Task The_runner_failing_on_a_missing_lease_table_is_restarted_and_runs_jobs_once_the_table_is_back()
    {
        var node = StartNode(new Dictionary<string, string> { ["CHANNELS"] = "root:2", ["NODE_TIMEOUT"] = "3" });
        Assert.That(await Eventually.UntilAsync(async () => await Database.ScalarAsync<string>(RunnerSessions.ActiveNode) is not null, 60, 100), Is.True, "the runner leads");

        await Database.ScalarAsync<object>("ALTER TABLE queue_job_runner_lease RENAME TO lease_away");
        Assert.That(await Eventually.UntilAsync(() => Task.FromResult(node.Log.Any(l => l.Contains(Failed, StringComparison.Ordinal))), 30, 100), Is.True,
            "the renewal failed and the failure was logged");
        var during = await EnqueueOneAsync("during");
        // Not a wait for a signal: a window in which the failing runner restarts (after 1 s, then 2 s) and must not lose the job.
        var staysPending = !await Eventually.UntilAsync(async () => await StateAsync(during) != "pending", 4, 100);
        await Database.ScalarAsync<object>("ALTER TABLE lease_away RENAME TO queue_job_runner_lease");
        var after = new[] { await EnqueueOneAsync("after 1"), await EnqueueOneAsync("after 2") };

        var allDone = await Eventually.UntilAsync(async () => await Database.ScalarAsync<long>("SELECT count(*) FROM queue_job WHERE state <> 'done'") == 0, 60, 100);
        var log = node.Log;
        var failedAt = log.ToList().FindIndex(l => l.Contains(Failed, StringComparison.Ordinal));
        foreach (var line in log.Where(l => l.Contains("job runner", StringComparison.Ordinal)))
        {
            TestContext.Out.WriteLine(line);
        }

        Assert.That(staysPending, Is.True, "the job enqueued while the runner failed stayed pending");
        Assert.That(allDone, Is.True, "the job enqueued during the failures and those enqueued after are done within 60 s");
        Assert.That(await Database.ColumnAsync<string>("SELECT uuid FROM queue_job WHERE state = 'done' ORDER BY uuid"), Is.EquivalentTo(after.Append(during)));
        Assert.That(await Database.ColumnAsync<string>("SELECT DISTINCT note FROM test_queue_job"), Is.EqualTo(new[] { "x" }), "each job ran once");
        Assert.That(log.Count(l => l.Contains("job runner failed", StringComparison.Ordinal)), Is.EqualTo(1), "the failure logged once");
        Assert.That(log.Skip(failedAt + 1).Any(l => l.Contains(RunsAgain, StringComparison.Ordinal)), Is.True, "the recovery logged after the failure");
    }

    [Test]
    public async Task A_second_failure_after_the_runner_recovered_is_logged_again()
    {
        var node = StartNode(new Dictionary<string, string> { ["CHANNELS"] = "root:2", ["NODE_TIMEOUT"] = "3" });
        Assert.That(await Eventually.UntilAsync(async () => await Database.ScalarAsync<string>(RunnerSessions.ActiveNode) is not null, 60, 100), Is.True, "the runner leads");
        await Database.ScalarAsync<object>("ALTER TABLE queue_job_runner_lease RENAME TO lease_away");
        Assert.That(await Eventually.UntilAsync(() => Task.FromResult(FailuresLogged(node) == 1), 30, 100), Is.True, "the first failure logged");
        await Database.ScalarAsync<object>("ALTER TABLE lease_away RENAME TO queue_job_runner_lease");
        var recovered = await EnqueueOneAsync("after the first failure");
        Assert.That(await Eventually.UntilAsync(async () => await StateAsync(recovered) == "done", 60, 100), Is.True, "the runner recovered");

        // The renewal, every second, fails again at once; a new failure is logged as the first one was, with its stack trace.
        await Database.ScalarAsync<object>("ALTER TABLE queue_job_runner_lease RENAME TO lease_away");
        var loggedAgain = await Eventually.UntilAsync(() => Task.FromResult(FailuresLogged(node) == 2), 30, 100);
        // Back again: a third "ready" shows the runner had failed and was restarted, logged or not.
        await Database.ScalarAsync<object>("ALTER TABLE lease_away RENAME TO queue_job_runner_lease");
        var restarted = await Eventually.UntilAsync(() => Task.FromResult(node.Log.Count(l => l.Contains(Ready, StringComparison.Ordinal)) == 3), 60, 100);
        foreach (var line in node.Log.Where(l => l.Contains("job runner", StringComparison.Ordinal)))
        {
            TestContext.Out.WriteLine(line);
        }

        Assert.That(restarted, Is.True, "the runner failed again, was restarted, and leads again");
        Assert.That(loggedAgain, Is.True, "the second failure, after a recovery, logged within 30 s");
    }

    /// <summary>How many failures were logged as new ones (with their stack trace), not as a count of repeated ones.</summary>
    private static int FailuresLogged(HostProcess node) => node.Log.Count(l => l.Contains(Failed, StringComparison.Ordinal));

    private async Task<string> EnqueueOneAsync(string name)
    {
        string? uuid = null;
        await EnqueueAsync(1, async (record, _) => uuid = (await record.WithDelay(description: name).EnqueueAsync(x => x.MarkThenWaitAsync(0))).Uuid);
        return uuid!;
    }

    private Task<string?> StateAsync(string uuid) => Database.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", uuid);
}
