using System.Text.RegularExpressions;
using PluginHost.Addons.QueueJob;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// PostgreSQL out of reach of a running node for a while (its relay cut, then back): each loop logs the outage once, a
/// warning naming the lost connection without a stack trace, however often it retries meanwhile, then logs its recovery
/// with the count; the node runs jobs again (issue 9, item 3). The later once-a-minute reports are
/// <see cref="FailureSeriesTests"/>'.
/// </summary>
public sealed class DatabaseOutageTests : HostProcessTestBase
{
    /// <summary>The loops of the node that use the database while it waits: each fails again and again during the outage.</summary>
    private static readonly string[] Loops = ["node heartbeat", "executors' wake-up", "job runner", "listing the databases to serve"];

    [Test]
    public async Task An_outage_is_one_warning_per_loop_without_stack_traces_and_the_node_recovers()
    {
        await using var server = new TcpForwarder();
        server.Start();
        // A --db-filter matching no other database: the node also lists the server's databases, every 5 s.
        var node = StartNodeThrough(server.Port, new Dictionary<string, string> { ["CHANNELS"] = "root:2", ["NODE_TIMEOUT"] = "3" },
            "--db-filter", Database.Name + "_none");
        Assert.That(await Eventually.UntilAsync(async () => await Database.ScalarAsync<string>(RunnerSessions.ActiveNode) is not null, 60, 100), Is.True, "the runner leads");

        server.Cut();
        var cutAt = node.Log.Count;
        // The heartbeat retries every 0.5 s (its interval), the other loops after 1, 2, 4 and 8 s: 12 s of silence are
        // several failures of each loop.
        var silent = await Eventually.UntilAsync(
            () => Database.ScalarAsync<bool>("SELECT coalesce(bool_and(now() - heartbeat > interval '12 seconds'), false) FROM queue_job_node"), 60, 200);
        var outage = node.Log.Skip(cutAt).ToList();
        server.Start();
        var recovered = await Eventually.UntilAsync(() => Task.FromResult(Loops.All(loop => RecoveredAfter(node.Log, loop) > 0)), 90, 100);
        var job = await EnqueueOneAsync();
        var done = await Eventually.UntilAsync(async () => await Database.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", job) == "done", 90, 100);
        foreach (var line in outage)
        {
            TestContext.Out.WriteLine(line);
        }

        Assert.That(silent, Is.True, "the node's heartbeat stopped for 12 s");
        foreach (var loop in Loops)
        {
            var failures = outage.Where(l => l.Contains($"{loop} failed", StringComparison.Ordinal)).ToList();
            Assert.That(failures, Has.Count.EqualTo(1), $"{loop}: one line");
            Assert.That(failures.All(l => l.Contains(" WARNING ", StringComparison.Ordinal) && l.Contains("(database connection lost: ", StringComparison.Ordinal)),
                Is.True, $"{loop}: a warning naming the lost connection");
        }

        Assert.That(outage.Where(l => l.Contains(" ERROR ", StringComparison.Ordinal) || l.Contains(" CRITICAL ", StringComparison.Ordinal)), Is.Empty);
        Assert.That(node.Log.Where(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal)), Is.Empty, "no stack trace");
        Assert.That(recovered, Is.True, "every loop logged its recovery");
        Assert.That(RecoveredAfter(node.Log, "node heartbeat"), Is.GreaterThanOrEqualTo(3), "the heartbeat failed several times, logged once");
        Assert.That(done, Is.True, "a job enqueued after the outage is done");
        Assert.That(node.Log.Where(l => l.Contains("taken for dead", StringComparison.Ordinal) || l.Contains("of stopped nodes", StringComparison.Ordinal)),
            Is.Empty, "the runner, back before the heartbeat, did not take its own node for dead");
    }

    /// <summary>The failures counted by the last recovery line of <paramref name="loop"/>; 0 when none.</summary>
    private static int RecoveredAfter(IReadOnlyList<string> log, string loop) =>
        log.Select(l => Regex.Match(l, $"{Regex.Escape(loop)} runs again after (\\d+) failures")).LastOrDefault(m => m.Success) is { } match
            ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : 0;

    private async Task<string> EnqueueOneAsync()
    {
        string? uuid = null;
        await EnqueueAsync(1, async (record, _) => uuid = (await record.WithDelay(description: "after the outage").EnqueueAsync(x => x.MarkThenWaitAsync(0))).Uuid);
        return uuid!;
    }
}
