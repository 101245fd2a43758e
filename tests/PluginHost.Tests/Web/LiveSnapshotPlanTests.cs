using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Web;

/// <summary>The console's snapshot reads indexes at a million done jobs, so an open console does not slow the queue down (issue 12, item 5).</summary>
public sealed class LiveSnapshotPlanTests : JobTestBase
{
    [Test]
    public async Task The_snapshot_reads_the_partial_and_finished_indexes_at_a_million_done_jobs()
    {
        await using (var connection = await Jobs.Database.ConnectAsync())
        {
            await using var fill = new Npgsql.NpgsqlCommand("""
                INSERT INTO queue_job (uuid, model_name, method_name, state, channel, date_created, date_done)
                SELECT 'plan-' || i, 'test.queue.job', 'Noop', 'done', 'root', now() - make_interval(secs => i), now() - make_interval(secs => i)
                FROM generate_series(1, 1000000) i;
                INSERT INTO queue_job (uuid, model_name, method_name, state, channel)
                SELECT 'plan-w-' || i, 'test.queue.job', 'Noop', (ARRAY['pending', 'enqueued', 'started', 'failed'])[1 + i % 4], 'root'
                FROM generate_series(1, 100) i;
                ANALYZE queue_job;
                """, connection) { CommandTimeout = 300 };
            await fill.ExecuteNonQueryAsync();
        }

        var counts = await PlanAsync(QueueSnapshotStatements.JobsByChannel);
        var finished = await PlanAsync(QueueSnapshotStatements.FinishedByMinute);

        Assert.That(counts, Does.Contain("queue_job_pending_channel_order_index").And.Contain("queue_job_running_index")
            .And.Contain("queue_job_failed_channel_index").And.Not.Contain("Seq Scan"), counts);
        Assert.That(finished, Does.Contain("queue_job_finished_index").And.Contain("queue_job_failed_channel_index").And.Not.Contain("Seq Scan"), finished);
    }

    private async Task<string> PlanAsync(string sql) => string.Join("\n", await Jobs.Database.ColumnAsync<string>("EXPLAIN " + sql));
}
