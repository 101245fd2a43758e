using System.Text.Json;
using LinqToDB;
using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Npgsql;
using PluginHost.Addons.Web;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The Jobs list, for Job Queue managers: searched, filtered, grouped, sorted and paged, as HTML
/// (<c>/queue_job/jobs</c>) and JSON (<c>/queue_job/jobs.json</c>, the same parameters). Queries that scan run under a
/// time limit: past it the page says so instead of failing.
/// </summary>
internal sealed class JobListPages(PageRenderer pages, QueueSnapshots snapshots, string templates) : IWebRoutes
{
    /// <summary>How long each statement of the list may run before PostgreSQL stops it.</summary>
    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(5);

    /// <summary>The JSON of the list and of bulk actions: Odoo's snake_case field names.</summary>
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/queue_job/jobs", (Func<HttpContext, Task<IResult>>)JobsPageAsync).RequireGroup(JobQueueAccess.ManagerGroup);
        routes.MapGet("/queue_job/jobs.json", (Func<HttpContext, Task<IResult>>)JobsJsonAsync).RequireGroup(JobQueueAccess.ManagerGroup);
    }

    private async Task<IResult> JobsPageAsync(HttpContext http)
    {
        JobListQuery query;
        try
        {
            query = JobListQuery.From(http.Request.Query);
        }
        catch (JobListParameterException e)
        {
            return Results.Text(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }

        // The live version before the rows are read: a change made meanwhile shows at the next poll.
        var version = (await snapshots.For(http.Database()).CurrentAsync()).Version;
        await using var env = await http.Database().BeginAsync(http.Uid(), cancellationToken: http.RequestAborted);
        var (channels, functions) = await SuggestionsAsync(env);
        var result = await LoadOrTimeOutAsync(env, query);
        return await pages.PageAsync(http, Path.Combine(templates, "jobs.html"), "Jobs", new JobListView(query, result, channels, functions, version),
            result is null ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK);
    }

    private async Task<IResult> JobsJsonAsync(HttpContext http)
    {
        JobListQuery query;
        try
        {
            query = JobListQuery.From(http.Request.Query);
        }
        catch (JobListParameterException e)
        {
            return Results.Json(new { Error = e.Message, e.Parameter }, Json, statusCode: StatusCodes.Status400BadRequest);
        }

        await using var env = await http.Database().BeginAsync(http.Uid(), cancellationToken: http.RequestAborted);
        if (await LoadOrTimeOutAsync(env, query) is not { } result)
        {
            return Results.Json(new { Error = new JobListView(query, null, [], [], "").Error }, Json, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return Results.Json(new
        {
            Jobs = result.Rows,
            result.Counts,
            Groups = query.Group is null ? null : result.Groups.Select(g => new { g.Key, g.Count }),
            Next = Position(result.Next),
            Previous = Position(result.Previous),
        }, Json);
    }

    /// <summary>The page, or null when a statement ran past <see cref="TimeLimit"/>.</summary>
    private static async Task<JobListResult?> LoadOrTimeOutAsync(Env env, JobListQuery query)
    {
        try
        {
            return await JobListResult.LoadAsync(env, query, TimeLimit);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.QueryCanceled)
        {
            return null;
        }
    }

    /// <summary>Where a linked page starts, as its parameter: <c>after=</c>/<c>before=</c>'s cursor or <c>page=</c>'s number.</summary>
    private static string? Position(JobListQuery? page) => page is null ? null : (page.After ?? page.Before)?.ToString() ?? page.Page.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The channels and job functions declared, offered as the filters' suggestions (small tables).</summary>
    private static async Task<(List<string> Channels, List<string> Functions)> SuggestionsAsync(Env env) =>
        (await env.Query<QueueJobChannelRow>().Select(c => c.CompleteName!).Where(n => n != null).OrderBy(n => n).ToListAsync(env.CancellationToken),
         await env.Query<QueueJobFunctionRow>().Select(f => f.Name).OrderBy(n => n).ToListAsync(env.CancellationToken));
}
