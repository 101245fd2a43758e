using System.Linq.Expressions;
using LinqToDB;
using LinqToDB.Async;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The Jobs list's queries, built with linq2db from a <see cref="JobListQuery"/>: the filtered jobs, one page of them,
/// their counts per state and their groups. In the order jobs were created in (their id) a page starts at a cursor,
/// along the primary key or a state's partial index (see JobListPlanTests for which filters read an index).
/// </summary>
internal static class JobListSearch
{
    /// <summary>How many jobs one page lists.</summary>
    public const int PageSize = 50;

    /// <summary>The jobs matching every filter of <paramref name="query"/>, the state included unless <paramref name="withState"/> is false.</summary>
    public static IQueryable<QueueJobRow> Filtered(Env env, JobListQuery query, bool withState = true)
    {
        IQueryable<QueueJobRow> jobs = env.Query<QueueJobRow>();
        if (withState && query.State is { } state)
        {
            jobs = jobs.Where(j => j.State == state);
        }

        if (query.Channel is { } channel)
        {
            jobs = jobs.Where(j => j.Channel == channel);
        }

        if (query.Function is { } function)
        {
            jobs = jobs.Where(j => j.ChannelMethodName == function);
        }

        if (query.Model is { } model)
        {
            jobs = jobs.Where(j => j.ModelName == model);
        }

        if (query.CreatedSince is { } since)
        {
            jobs = jobs.Where(j => j.DateCreated >= since);
        }

        if (query.CreatedBefore is { } before)
        {
            jobs = jobs.Where(j => j.DateCreated < before);
        }

        return query.Text is { } text ? Matching(jobs, text) : jobs;
    }

    /// <summary>
    /// The rows of the page <paramref name="query"/> asks for, one more than <see cref="PageSize"/> when more follow
    /// (read backwards, then turned, for a page before a cursor).
    /// </summary>
    public static IQueryable<JobListRow> Page(Env env, JobListQuery query)
    {
        var jobs = Filtered(env, query);
        var ordered = query.ByCursor ? ByCreated(jobs, query) : ByColumn(jobs, query.Sort, query.Descending).Skip((query.Page - 1) * PageSize);
        return ordered.Take(PageSize + 1).Select(j => new JobListRow(j.Id, j.Uuid, j.Name, j.FuncString, j.State, j.Channel, j.Priority, j.Retry,
            j.MaxRetries, j.DateCreated, j.DateEnqueued, j.DateStarted, j.DateDone, j.ExecTime, j.ExcMessage, j.Result));
    }

    /// <summary>How many jobs each state holds under the other filters, for the state tabs.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> CountsAsync(Env env, JobListQuery query)
    {
        var counts = await Filtered(env, query, withState: false)
            .GroupBy(j => j.State)
            .Select(g => new { State = g.Key, Count = g.LongCount() })
            .ToListAsync(env.CancellationToken);
        return JobState.All.ToDictionary(s => s, s => counts.FirstOrDefault(c => c.State == s)?.Count ?? 0);
    }

    /// <summary>The groups of <see cref="JobListQuery.Group"/> (state, channel or function) and their counts, largest first.</summary>
    public static async Task<IReadOnlyList<JobListGroup>> GroupsAsync(Env env, JobListQuery query)
    {
        var jobs = Filtered(env, query);
        var keyed = query.Group switch
        {
            "state" => jobs.Select(j => new { Key = (string?)j.State }),
            "channel" => jobs.Select(j => new { Key = (string?)j.Channel }),
            _ => jobs.Select(j => new { Key = j.ChannelMethodName }),
        };
        var groups = await keyed.GroupBy(j => j.Key)
            .Select(g => new { g.Key, Count = g.LongCount() })
            .OrderByDescending(g => g.Count).ThenBy(g => g.Key)
            .ToListAsync(env.CancellationToken);
        return groups.Select(g => new JobListGroup(g.Key, g.Count, GroupUrl(query, g.Key))).ToList();
    }

    private static string GroupUrl(JobListQuery query, string? key)
    {
        var filtered = query.FirstPage with { Group = null };
        return (query.Group switch
        {
            "state" => filtered with { State = key },
            "channel" => filtered with { Channel = key },
            _ => filtered with { Function = key },
        }).Url;
    }

    /// <summary>A text search: uuid, description, task or exception message contains the text, case aside.</summary>
    private static IQueryable<QueueJobRow> Matching(IQueryable<QueueJobRow> jobs, string text)
    {
        var lower = text.ToLowerInvariant();
        return jobs.Where(j => j.Uuid.Contains(lower) || j.Name!.ToLower().Contains(lower)
            || j.FuncString!.ToLower().Contains(lower) || j.ExcMessage!.ToLower().Contains(lower));
    }

    /// <summary>
    /// The order jobs were created in (by id, along the primary key or a state's partial index), from the cursor.
    /// </summary>
    private static IQueryable<QueueJobRow> ByCreated(IQueryable<QueueJobRow> jobs, JobListQuery query)
    {
        // A page before the cursor walks the order backwards from it; JobListPages turns its rows back.
        var descending = query.Before is null ? query.Descending : !query.Descending;
        if ((query.After ?? query.Before) is { } cursor)
        {
            var id = cursor.Id;
            jobs = descending ? jobs.Where(j => j.Id < id) : jobs.Where(j => j.Id > id);
        }

        return descending ? jobs.OrderByDescending(j => j.Id) : jobs.OrderBy(j => j.Id);
    }

    private static IQueryable<QueueJobRow> ByColumn(IQueryable<QueueJobRow> jobs, string sort, bool descending) => sort switch
    {
        "priority" => By(jobs, j => j.Priority, descending),
        "state" => By(jobs, j => j.State, descending),
        "channel" => By(jobs, j => j.Channel, descending),
        "started" => By(jobs, j => j.DateStarted, descending),
        "done" => By(jobs, j => j.DateDone, descending),
        _ => By(jobs, j => j.ExecTime, descending),
    };

    private static IQueryable<QueueJobRow> By<TKey>(IQueryable<QueueJobRow> jobs, Expression<Func<QueueJobRow, TKey>> key, bool descending) =>
        descending ? jobs.OrderByDescending(key).ThenByDescending(j => j.Id) : jobs.OrderBy(key).ThenBy(j => j.Id);
}
