using PluginHost.Addons.QueueJob;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// Three <c>host</c> processes with two workers each on one database, <c>root:4,root.sub:2</c>: while 50 one-second
/// jobs of <c>root.sub</c> and 10 of <c>root</c> run, the table is sampled and never shows more running jobs
/// (enqueued or started) than the capacities allow.
/// </summary>
public sealed class ProcessCapacityTests : HostProcessTestBase
{
    private const int SubJobs = 50;
    private const int RootJobs = 10;

    [Test]
    public async Task Capacities_hold_across_three_processes_while_fifty_one_second_jobs_run()
    {
        for (var i = 0; i < 3; i++)
        {
            StartNode(new Dictionary<string, string> { ["CHANNELS"] = "root:4,root.sub:2" });
        }

        await EnqueueAsync(SubJobs + RootJobs, (record, i) => record.WithDelay(channel: i < SubJobs ? "root.sub" : "root").EnqueueAsync(x => x.MarkThenWaitAsync(1000)));
        var samples = new List<(long Sub, long All)>();
        await using var connection = await Database.ConnectAsync();
        var deadline = DateTime.UtcNow.AddSeconds(150);
        while (DateTime.UtcNow < deadline)
        {
            await using var command = new Npgsql.NpgsqlCommand("""
                SELECT count(*) FILTER (WHERE channel = 'root.sub' AND state IN ('enqueued', 'started')),
                       count(*) FILTER (WHERE state IN ('enqueued', 'started')),
                       count(*) FILTER (WHERE state NOT IN ('done', 'failed'))
                FROM queue_job
                """, connection);
            await using var reader = await command.ExecuteReaderAsync();
            await reader.ReadAsync();
            samples.Add((reader.GetInt64(0), reader.GetInt64(1)));
            if (reader.GetInt64(2) == 0)
            {
                break;
            }

            await Task.Delay(50);
        }

        TestContext.Out.WriteLine($"{samples.Count} samples; most running in root.sub {samples.Max(s => s.Sub)}, in all {samples.Max(s => s.All)}");
        Assert.That(await Database.ColumnAsync<string>("SELECT DISTINCT state FROM queue_job"), Is.EqualTo(new[] { "done" }), "every job done within the deadline");
        Assert.That(samples.Max(s => s.Sub), Is.EqualTo(2), "root.sub:2 reached and never exceeded");
        Assert.That(samples.Max(s => s.All), Is.EqualTo(4), "root:4 reached and never exceeded");
        Assert.That(await Database.ColumnAsync<string>("SELECT DISTINCT note FROM test_queue_job"), Is.EqualTo(new[] { "x" }), "each job ran once");
        Assert.That(await Database.ScalarAsync<long>("SELECT count(DISTINCT worker_node) FROM queue_job"), Is.GreaterThan(1), "several processes ran jobs");
    }
}
