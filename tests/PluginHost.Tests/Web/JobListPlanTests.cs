using LinqToDB;
using LinqToDB.Async;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Web;

/// <summary>The Job Queue list, built with linq2db, reads an index at a million jobs instead of sorting them.</summary>
public sealed class JobListPlanTests : JobTestBase
{
    [Test]
    public async Task The_latest_jobs_list_reads_the_date_created_index_at_a_million_jobs()
    {
        await using (var connection = await Jobs.Database.ConnectAsync())
        {
            await using var fill = new Npgsql.NpgsqlCommand("""
                INSERT INTO queue_job (uuid, model_name, method_name, state, date_created)
                SELECT 'plan-' || i, 'test.queue.job', 'Noop', 'done', now() - make_interval(secs => i)
                FROM generate_series(1, 1000000) i;
                ANALYZE queue_job;
                """, connection) { CommandTimeout = 300 };
            await fill.ExecuteNonQueryAsync();
        }

        await using var env = await Jobs.Host.Database.BeginAsync();
        var sql = JobListPages.Latest(env).InlineParameters().ToSqlQuery().Sql;
        var plan = string.Join("\n", await Jobs.Database.ColumnAsync<string>("EXPLAIN " + sql));

        Assert.That(plan, Does.Contain("Index Scan using queue_job_date_created_index"), plan);
        Assert.That(plan, Does.Not.Contain("Sort"), plan);
        Assert.That(await JobListPages.Latest(env).CountAsync(), Is.EqualTo(JobListPages.PageSize));
    }
}
