using Microsoft.Extensions.Hosting;
using Npgsql;
using PluginHost.Addons.QueueJob;
using PluginHost.Host.Hosting;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>A graph run by the real runner and executors, side by side where the graph allows it.</summary>
public sealed class JobRunnerGraphTests : RunningHostTestBase
{
    protected override string Channels => "root:2";

    [Test]
    public async Task A_then_b_and_c_in_parallel_then_d()
    {
        await using var listener = await Database.ListenAsync();

        await using (var env = await Host.Database.BeginAsync())
        {
            var records = env.Model<TestQueueJobModel>();
            var record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = "graph" }));
            // B and C each wait for the other to have started: they finish only if they run side by side.
            await JobGraph.Chain(
                record.Delayable(description: "A").Call(x => x.AppendNoteAsync("A")),
                JobGraph.Group(
                    record.Delayable(description: "B").Call(x => x.RendezvousAsync("C", 20)),
                    record.Delayable(description: "C").Call(x => x.RendezvousAsync("B", 20))),
                record.Delayable(description: "D").Call(x => x.AppendNoteAsync("D"))).DelayAsync();
            await env.CommitAsync();
        }

        // Done when D finished or anything failed.
        await listener.UntilAsync(async () =>
            await Database.ScalarAsync<long>("SELECT count(*) FROM queue_job WHERE (name = 'D' AND state IN ('done', 'failed')) OR state = 'failed'") > 0);

        Assert.That(await Database.ColumnAsync<string>("SELECT name || ':' || state || ':' || coalesce(result, '') FROM queue_job ORDER BY name"),
            Is.EqualTo(new[] { "A:done:", "B:done:met C", "C:done:met B", "D:done:" }));
        Assert.That(await Database.ScalarAsync<bool>("""
            SELECT (SELECT date_done FROM queue_job WHERE name = 'A') <= (SELECT min(date_started) FROM queue_job WHERE name IN ('B', 'C'))
               AND (SELECT max(date_done) FROM queue_job WHERE name IN ('B', 'C')) <= (SELECT date_started FROM queue_job WHERE name = 'D')
            """), Is.True);
        Assert.That(await Database.ScalarAsync<string>("SELECT note FROM test_queue_job"), Is.EqualTo("AD"));
    }
}
