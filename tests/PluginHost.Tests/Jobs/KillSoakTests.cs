using System.Diagnostics;
using PluginHost.Addons.QueueJob;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// Three <c>host</c> processes share a backlog of short jobs; three times, a node running a job is killed with SIGKILL
/// and a replacement started. Every job still ends done, its effect committed exactly once, and nothing is left
/// started or failed.
/// </summary>
public sealed class KillSoakTests : HostProcessTestBase
{
    private const int JobCount = 60;
    private const int Kills = 3;

    private static readonly Dictionary<string, string> Environment = new() { ["CHANNELS"] = "root:4", ["NODE_TIMEOUT"] = "3" };

    [Test]
    public async Task Every_job_is_done_exactly_once_while_nodes_running_jobs_are_killed_and_replaced_three_times()
    {
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 3; i++)
        {
            StartNode(Environment);
        }

        // 400 to 800 ms each, retried until done: a killed try counts.
        await EnqueueAsync(JobCount, (record, i) => record.WithDelay(maxRetries: 10).EnqueueAsync(x => x.MarkThenWaitAsync(400 + (i * 67 % 400))));
        var interrupted = new List<string>();
        for (var kill = 0; kill < Kills; kill++)
        {
            interrupted.AddRange(await KillANodeRunningAJobAsync());
        }

        var finished = await Eventually.UntilAsync(async () => await Database.ScalarAsync<long>("SELECT count(*) FROM queue_job WHERE state <> 'done'") == 0, 180, 200);
        TestContext.Out.WriteLine($"{Kills} kills, {interrupted.Count} tries interrupted, {await Database.ScalarAsync<long>("SELECT sum(retry) FROM queue_job")} tries in all; " +
            $"every job done {clock.Elapsed.TotalSeconds:0.0} s after the first node started");

        Assert.That(finished, Is.True, "every job done within 180 s");
        Assert.That(await Database.ColumnAsync<string>("SELECT DISTINCT state FROM queue_job"), Is.EqualTo(new[] { "done" }), "none started, failed or cancelled");
        Assert.That(await Database.ColumnAsync<string>("SELECT coalesce(note, '') FROM test_queue_job WHERE name LIKE 'job %'"),
            Has.Count.EqualTo(JobCount).And.All.EqualTo("x"), "each job's effect committed exactly once");
        Assert.That(interrupted, Is.Not.Empty, "the kills interrupted running jobs");
        Assert.That(await Database.ColumnAsync<int>("SELECT retry FROM queue_job WHERE uuid = ANY($1)", (object)interrupted.ToArray()),
            Is.All.GreaterThanOrEqualTo(2), "the interrupted tries counted and the jobs ran again");
    }

    /// <summary>
    /// Waits for a job started on a live node, kills that node, starts a replacement, and returns the jobs the kill
    /// interrupted once the runner rescued them (they are then no longer started on the dead node).
    /// </summary>
    private async Task<List<string>> KillANodeRunningAJobAsync()
    {
        string? victim = null;
        Assert.That(await Eventually.UntilAsync(async () => (victim = await Database.ScalarAsync<string>("""
            SELECT n.id FROM queue_job j JOIN queue_job_node n ON n.id = j.worker_node
            WHERE j.state = 'started' AND n.pid = ANY($1) LIMIT 1
            """, (object)Nodes.Where(n => !n.HasExited).Select(n => n.Pid).ToArray())) is not null, 60, 20), Is.True, "a live node runs a job");
        var pid = await Database.ScalarAsync<int>("SELECT pid FROM queue_job_node WHERE id = $1", victim!);
        await Nodes.Single(n => n.Pid == pid).KillAsync();
        StartNode(Environment);
        // Read after the kill: these stay started until the runner takes the node for dead (3 s).
        var interrupted = await Database.ColumnAsync<string>("SELECT uuid FROM queue_job WHERE state = 'started' AND worker_node = $1", victim!);
        Assert.That(await Eventually.UntilAsync(async () => await Database.ScalarAsync<long>(
            "SELECT count(*) FROM queue_job WHERE state = 'started' AND worker_node = $1", victim!) == 0, 60, 100), Is.True, "the killed node's jobs rescued");
        return interrupted;
    }
}
