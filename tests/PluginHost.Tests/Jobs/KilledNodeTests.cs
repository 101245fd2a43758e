using PluginHost.Addons.QueueJob;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// Two <c>host</c> processes on one database; the node holding the runner lock, while running jobs, is killed with
/// SIGKILL. The other node's runner takes over, and the interrupted jobs run again and end done, each job's effect
/// committed exactly once.
/// </summary>
public sealed class KilledNodeTests : HostProcessTestBase
{
    private const int JobCount = 10;

    [Test]
    public async Task The_active_runner_node_killed_mid_job_a_standby_takes_over_and_every_job_is_done_exactly_once()
    {
        await using var listener = await Database.ListenAsync();
        var environment = new Dictionary<string, string> { ["CHANNELS"] = "root:4", ["NODE_TIMEOUT"] = "3" };
        StartNode(environment);
        StartNode(environment);
        await EnqueueAsync(JobCount, (record, _) => record.WithDelay(maxRetries: 3).EnqueueAsync(x => x.MarkThenWaitAsync(1500)));

        // Both nodes run jobs (root:4, two workers each); wait until the runner's node has one started.
        await listener.UntilAsync(async () => await Database.ScalarAsync<long>(
            $"SELECT count(*) FROM queue_job WHERE state = 'started' AND worker_node = ({RunnerNode})") > 0, 60);
        var (runner, runnerPid) = (await Database.ScalarAsync<string>(RunnerNode), await Database.ScalarAsync<int>($"SELECT pid FROM queue_job_node WHERE id = ({RunnerNode})"));
        await Nodes.Single(n => n.Pid == runnerPid).KillAsync();
        // Read after the kill: these stay started until the new runner finds the node dead (3 s).
        var interrupted = await Database.ColumnAsync<string>("SELECT uuid FROM queue_job WHERE state = 'started' AND worker_node = $1", runner!);
        await listener.UntilAsync(async () => await Database.ScalarAsync<long>("SELECT count(*) FROM queue_job WHERE state IN ('done', 'failed')") == JobCount, 90);

        Assert.That(await Database.ColumnAsync<string>("SELECT DISTINCT state FROM queue_job"), Is.EqualTo(new[] { "done" }));
        Assert.That(await Database.ColumnAsync<string>("SELECT DISTINCT note FROM test_queue_job WHERE name LIKE 'job %'"), Is.EqualTo(new[] { "x" }), "each job's effect committed once");
        Assert.That(await Database.ColumnAsync<int>("SELECT retry FROM queue_job WHERE uuid = ANY($1)", (object)interrupted.ToArray()),
            Is.Not.Empty.And.All.EqualTo(2), "the interrupted tries counted");
        Assert.That(await Database.ScalarAsync<int>($"SELECT pid FROM queue_job_node WHERE id = ({RunnerNode})"),
            Is.EqualTo(Nodes.Single(n => !n.HasExited).Pid), "the standby is the runner now");
    }

    private const string RunnerNode = RunnerSessions.ActiveNode;
}
