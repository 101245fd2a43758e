using System.Globalization;
using LinqToDB.Async;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// One page of the Jobs list as read: its rows, the counts per state for the tabs, the groups when grouped, and the
/// parameters of the pages before and after it (a cursor in the order jobs were created in, a page number otherwise).
/// </summary>
internal sealed record JobListResult(
    IReadOnlyList<JobListRow> Rows, IReadOnlyDictionary<string, long> Counts, IReadOnlyList<JobListGroup> Groups, JobListQuery? Next, JobListQuery? Previous)
{
    /// <summary>
    /// Reads the page of <paramref name="query"/> in <paramref name="env"/>'s transaction, each statement stopped by
    /// PostgreSQL after <paramref name="timeLimit"/> (SQLSTATE 57014, query_canceled).
    /// </summary>
    public static async Task<JobListResult> LoadAsync(Env env, JobListQuery query, TimeSpan timeLimit)
    {
        var milliseconds = ((long)Math.Ceiling(timeLimit.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
        await env.ExecuteAsync("SELECT set_config('statement_timeout', $1, true)", milliseconds);
        var rows = await JobListSearch.Page(env, query).ToListAsync(env.CancellationToken);
        var more = rows.Count > JobListSearch.PageSize;
        rows = rows.Take(JobListSearch.PageSize).ToList();
        if (query.Before is not null)
        {
            rows.Reverse();
        }

        var counts = await JobListSearch.CountsAsync(env, query);
        var groups = query.Group is null ? [] : await JobListSearch.GroupsAsync(env, query);
        var (next, previous) = query.ByCursor ? CursorPages(query, rows, more) : NumberedPages(query, more);
        return new JobListResult(rows, counts, groups, next, previous);
    }

    private static (JobListQuery? Next, JobListQuery? Previous) CursorPages(JobListQuery query, List<JobListRow> rows, bool more)
    {
        if (rows.Count == 0)
        {
            return (null, null);
        }

        var first = query.FirstPage with { Before = JobListCursor.Of(rows[0]) };
        var last = query.FirstPage with { After = JobListCursor.Of(rows[^1]) };
        // Read backwards, "more" means more rows ahead; the rows past the page are the ones the cursor came from.
        return query.Before is null
            ? (more ? last : null, query.After is null ? null : first)
            : (last, more ? first : null);
    }

    private static (JobListQuery? Next, JobListQuery? Previous) NumberedPages(JobListQuery query, bool more) =>
        (more ? query with { Page = query.Page + 1 } : null, query.Page > 1 ? query with { Page = query.Page - 1 } : null);
}
