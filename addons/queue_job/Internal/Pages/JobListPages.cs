using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PluginHost.Addons.Web;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>The Jobs list, for Job Queue managers: the latest jobs as HTML (<c>/queue_job/jobs</c>) and JSON (<c>/queue_job/jobs.json</c>).</summary>
internal sealed class JobListPages(Database database, PageRenderer pages, string templates) : IWebRoutes
{
    /// <summary>How many jobs one page lists, newest first.</summary>
    public const int PageSize = 200;

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/queue_job/jobs", (Func<HttpContext, Task<IResult>>)JobsPageAsync).RequireGroup(JobQueueAccess.ManagerGroup);
        routes.MapGet("/queue_job/jobs.json", (Func<HttpContext, Task<IResult>>)JobsJsonAsync).RequireGroup(JobQueueAccess.ManagerGroup);
    }

    private async Task<IResult> JobsPageAsync(HttpContext http) =>
        await pages.PageAsync(http, Path.Combine(templates, "jobs.html"), "Jobs", new { Jobs = await LatestAsync(http.Uid()) });

    private async Task<IResult> JobsJsonAsync(HttpContext http) => Results.Json(await LatestAsync(http.Uid()));

    private async Task<IReadOnlyList<JobListRow>> LatestAsync(long uid)
    {
        await using var env = await database.BeginAsync(uid);
        return await Latest(env).ToListAsync(env.CancellationToken);
    }

    /// <summary>The newest <see cref="PageSize"/> jobs, along queue_job_date_created_index.</summary>
    internal static IQueryable<JobListRow> Latest(Env env) =>
        env.Query<QueueJobRow>()
            .OrderByDescending(j => j.DateCreated).ThenByDescending(j => j.Id)
            .Take(PageSize)
            .Select(j => new JobListRow(j.Id, j.Uuid, j.Name, j.FuncString, j.State, j.Channel, j.Priority, j.Retry, j.MaxRetries,
                j.DateCreated, j.DateEnqueued, j.DateStarted, j.DateDone, j.ExecTime, j.ExcMessage, j.Result));
}
