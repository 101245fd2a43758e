using System.Diagnostics;
using PluginHost.Addons.QueueJob;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// Two <c>host</c> processes on one database; the node holding the runner lead is frozen with SIGSTOP (its sockets stay
/// open, its lease stops being renewed). The standby terminates the stale holder, takes the lease, and runs every job
/// enqueued meanwhile while the frozen node is still stopped; no job runs twice.
/// </summary>
public sealed class RunnerPauseTests : HostProcessTestBase
{
    private const int JobCount = 10;

    [Test]
    public async Task A_paused_runner_is_replaced_by_the_standby_which_runs_every_job_while_the_paused_node_stays_stopped()
    {
        var environment = new Dictionary<string, string> { ["CHANNELS"] = "root:2", ["NODE_TIMEOUT"] = "3" };
        StartNode(environment);
        StartNode(environment);
        Assert.That(await Eventually.UntilAsync(async () => await Database.ScalarAsync<long>("SELECT count(*) FROM queue_job_node") == 2
            && await Database.ScalarAsync<string>(RunnerSessions.ActiveNode) is not null, 60, 100), Is.True, "both nodes heartbeat and one leads");
        var runner = (await Database.ScalarAsync<string>(RunnerSessions.ActiveNode))!;
        var runnerPid = await Database.ScalarAsync<int>("SELECT pid FROM queue_job_node WHERE id = $1", runner);
        var paused = Nodes.Single(n => n.Pid == runnerPid);
        var standby = (await Database.ScalarAsync<string>("SELECT id FROM queue_job_node WHERE id <> $1", runner))!;

        var clock = Stopwatch.StartNew();
        paused.Pause();
        try
        {
            var takeover = Eventually.UntilAsync(async () => await Database.ScalarAsync<string>(RunnerSessions.LeaseNode) == standby, 60, 20)
                .ContinueWith(t => (t.Result, clock.Elapsed), TaskScheduler.Default);
            await EnqueueAsync(JobCount, (record, _) => record.WithDelay(maxRetries: 3).EnqueueAsync(x => x.MarkThenWaitAsync(200)));
            var allDone = await Eventually.UntilAsync(async () => await Database.ScalarAsync<long>("SELECT count(*) FROM queue_job WHERE state <> 'done'") == 0, 60, 100);
            var (leaseMoved, takeoverTime) = await takeover;
            TestContext.Out.WriteLine($"lease taken over {takeoverTime.TotalSeconds:0.00} s after the pause; every job done {clock.Elapsed.TotalSeconds:0.00} s after it");

            Assert.That(IsStopped(paused.Pid), Is.True, "the paused node was still stopped when the jobs were done");
            Assert.That(allDone, Is.True, "every job done within 60 s of the pause");
            Assert.That(leaseMoved, Is.True, "the standby took the lease");
            Assert.That(await Database.ScalarAsync<string>(RunnerSessions.LeaseNode), Is.EqualTo(standby));
            Assert.That(await Database.ColumnAsync<string>("SELECT DISTINCT worker_node FROM queue_job"), Is.EqualTo(new[] { standby }), "the paused node ran nothing");
            Assert.That(await Database.ColumnAsync<string>("SELECT coalesce(note, '') FROM test_queue_job WHERE name LIKE 'job %'"),
                Has.Count.EqualTo(JobCount).And.All.EqualTo("x"), "each job's effect committed once");
        }
        finally
        {
            paused.Resume();
        }
    }

    /// <summary>True when the process is stopped by a signal (state T in /proc/&lt;pid&gt;/stat).</summary>
    private static bool IsStopped(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('T');
    }
}
