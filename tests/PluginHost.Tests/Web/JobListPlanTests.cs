using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Npgsql;
using PluginHost.Addons.QueueJob;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Web;

/// <summary>
/// The Jobs list reads an index at a million jobs instead of sorting them (issue 12). Index-backed, with no Sort: the
/// default order (the order jobs were created in: the primary key) and its cursor pages both ways; the done tab (the
/// same index, state as a filter); the failed, cancelled and wait_dependencies tabs (queue_job_console_state_index, partial), with or
/// without a channel or function filter; a channel or function filter alone, along the primary key, when its value
/// is a common one (a rare value with no state is read by a scan: the planner's choice, under the time limit); a
/// created date range (a filter along the primary key). The pending, enqueued and started tabs read the runner's partial indexes of those states and
/// sort only the jobs in that state, the queue's backlog, never the whole table. A text search scans, under a limit.
/// </summary>
public sealed class JobListPlanTests : JobTestBase
{
    /// <summary>
    /// A million jobs created a second apart in the order of their ids, mostly done, with one in a thousand failed and one in a thousand
    /// cancelled, fewer waiting, pending, enqueued and started; three channels and three functions, evenly.
    /// </summary>
    private const string Fill = """
        INSERT INTO queue_job (uuid, model_name, method_name, state, channel, channel_method_name, date_created)
        SELECT 'plan-' || i, 'test.queue.job', 'Noop',
               CASE WHEN i % 1000 = 0 THEN 'failed'
                    WHEN i % 1000 = 1 THEN 'cancelled'
                    WHEN i % 5000 = 2 THEN 'wait_dependencies'
                    WHEN i % 10000 = 3 THEN 'pending'
                    WHEN i % 20000 = 4 THEN 'enqueued'
                    WHEN i % 50000 = 5 THEN 'started'
                    ELSE 'done' END,
               'root.c' || (i % 3), '<test.queue.job>.f' || (i % 3), now() - make_interval(secs => 1000000 - i)
        FROM generate_series(1, 1000000) i;
        ANALYZE queue_job;
        """;

    [Test]
    public async Task The_jobs_list_reads_an_index_for_its_order_tabs_and_channel_and_function_filters_at_a_million_jobs()
    {
        await FillAsync();
        var middle = await CursorAsync("plan-500000");
        string[] indexed =
        [
            "", $"after={middle}", $"before={middle}", "dir=asc", $"dir=asc&after={middle}",
            "state=done", $"state=done&after={middle}",
            "state=failed", "state=cancelled", "state=wait_dependencies", $"state=failed&after={middle}", $"state=failed&before={middle}",
            "state=failed&channel=root.c1", "state=cancelled&function=<test.queue.job>.f2", "state=done&channel=root.c0",
            "channel=root.c1", $"channel=root.c1&after={middle}", "function=<test.queue.job>.f0", "created_from=2000-01-01&created_to=2999-12-31",
        ];
        foreach (var parameters in indexed)
        {
            var plan = await PlanAsync(parameters);
            Assert.That(plan, Does.Contain("Index Scan using queue_job_pkey").Or.Contain("Index Scan using queue_job_console_state_index")
                .Or.Contain("Index Scan Backward using queue_job_pkey").Or.Contain("Index Scan Backward using queue_job_console_state_index"), parameters + "\n" + plan);
            Assert.That(plan, Does.Not.Contain("Sort").And.Not.Contain("Seq Scan"), parameters + "\n" + plan);
        }

        foreach (var state in new[] { "pending", "enqueued", "started" })
        {
            var plan = await PlanAsync("state=" + state);
            Assert.That(plan, Does.Contain(state == "pending" ? "queue_job_pending" : "queue_job_running_index").And.Not.Contain("Seq Scan"), state + "\n" + plan);
        }
    }

    [Test]
    public async Task Each_page_of_the_failed_tab_is_fifty_jobs_read_along_the_index_in_order()
    {
        await FillAsync();
        await using var env = await Jobs.Host.Database.BeginAsync();
        var first = await JobListResult.LoadAsync(env, Query("state=failed"), JobListPages.TimeLimit);
        var second = await JobListResult.LoadAsync(env, first.Next!, JobListPages.TimeLimit);
        var back = await JobListResult.LoadAsync(env, second.Previous!, JobListPages.TimeLimit);

        Assert.That(first.Rows, Has.Count.EqualTo(JobListSearch.PageSize).And.All.Matches<JobListRow>(r => r.State == JobState.Failed));
        Assert.That(first.Counts[JobState.Failed], Is.EqualTo(1000));
        Assert.That(second.Rows[0].Id, Is.LessThan(first.Rows[^1].Id));
        Assert.That(second.Rows[0].DateCreated, Is.LessThan(first.Rows[^1].DateCreated));
        Assert.That(back.Rows.Select(r => r.Id), Is.EqualTo(first.Rows.Select(r => r.Id)));
    }

    [Test]
    public async Task A_text_search_past_its_time_limit_is_stopped_by_postgresql()
    {
        await FillAsync();
        await using var env = await Jobs.Host.Database.BeginAsync();

        var stopped = Assert.ThrowsAsync<PostgresException>(() => JobListResult.LoadAsync(env, Query("q=no such text"), TimeSpan.FromMilliseconds(1)));

        Assert.That(stopped!.SqlState, Is.EqualTo(PostgresErrorCodes.QueryCanceled));
    }

    private async Task FillAsync()
    {
        await using var connection = await Jobs.Database.ConnectAsync();
        await using var fill = new NpgsqlCommand(Fill, connection) { CommandTimeout = 300 };
        await fill.ExecuteNonQueryAsync();
    }

    private async Task<string> CursorAsync(string uuid)
    {
        await using var env = await Jobs.Host.Database.BeginAsync();
        var id = await env.Query<QueueJobRow>().Where(j => j.Uuid == uuid).Select(j => j.Id).SingleAsync();
        return new JobListCursor(id).ToString();
    }

    private async Task<string> PlanAsync(string parameters)
    {
        await using var env = await Jobs.Host.Database.BeginAsync();
        var sql = JobListSearch.Page(env, Query(parameters)).InlineParameters().ToSqlQuery().Sql;
        return string.Join("\n", await Jobs.Database.ColumnAsync<string>("EXPLAIN " + sql));
    }

    private static JobListQuery Query(string parameters) => JobListQuery.From(new QueryCollection(QueryHelpers.ParseQuery(parameters)));
}
