using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;
using PluginHost.Addons.Web;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// One job's page (<c>/queue_job/jobs/{uuid}</c>) and its JSON (<c>.json</c>), its actions (requeue, cancel, done:
/// a form POST that redirects back with a message, or a JSON POST) and its related action, for Job Queue managers.
/// </summary>
internal sealed class JobPages(PageRenderer pages, QueueSnapshots snapshots, RelatedActions relatedActions, string templates, ILogger<JobPages> logger)
    : IWebRoutes
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/queue_job/jobs/{uuid}", (Func<HttpContext, string, Task<IResult>>)JobPageAsync).RequireGroup(JobQueueAccess.ManagerGroup);
        routes.MapGet("/queue_job/jobs/{uuid}.json", (Func<HttpContext, string, Task<IResult>>)JobJsonAsync).RequireGroup(JobQueueAccess.ManagerGroup);
        routes.MapGet("/queue_job/jobs/{uuid}/related", (Func<HttpContext, string, Task<IResult>>)RelatedAsync).RequireGroup(JobQueueAccess.ManagerGroup);
        routes.MapPost("/queue_job/jobs/{uuid}/{action}", (Func<HttpContext, string, string, Task<IResult>>)ActAsync).RequireGroup(JobQueueAccess.ManagerGroup);
        routes.MapPost("/queue_job/jobs/{uuid}/{action}.json", (Func<HttpContext, string, string, Task<IResult>>)ActJsonAsync).RequireGroup(JobQueueAccess.ManagerGroup);
    }

    private async Task<IResult> JobPageAsync(HttpContext http, string uuid)
    {
        // The live version before the job is read: a change made meanwhile shows at the next poll.
        var version = (await snapshots.For(http.Database()).CurrentAsync()).Version;
        await using var env = await http.Database().BeginAsync(http.Uid());
        return await JobPageData.ReadAsync(env, uuid, relatedActions) is { } job
            ? await pages.PageAsync(http, Template("job.html"), job.Job.Description ?? uuid, JobPageView.Of(job, DateTime.UtcNow) with { Version = version })
            : await NotFoundPageAsync(http, uuid);
    }

    private async Task<IResult> JobJsonAsync(HttpContext http, string uuid)
    {
        await using var env = await http.Database().BeginAsync(http.Uid());
        return await JobPageData.ReadAsync(env, uuid, relatedActions) is { } job
            ? Results.Json(job, Json)
            : Results.Json(new { Error = $"No job {uuid}." }, Json, statusCode: StatusCodes.Status404NotFound);
    }

    /// <summary>
    /// A redirect to the page the job's related action opens, on this site only: an action may build its URL from job
    /// data, so one that leaves the site (an open redirect) is refused with 500 naming the action and the URL.
    /// </summary>
    private async Task<IResult> RelatedAsync(HttpContext http, string uuid)
    {
        await using var env = await http.Database().BeginAsync(http.Uid());
        string? action, url;
        try
        {
            (action, url) = await relatedActions.OpenActionAsync(env, uuid);
        }
        catch (KeyNotFoundException e)
        {
            return Results.NotFound(e.Message);
        }

        if (url is null)
        {
            return Results.NotFound($"Job {uuid} has no related action.");
        }

        if (!LocalPath.IsLocal(url))
        {
            logger.LogWarning("job {Uuid}: related action {Action} returned {Url}, not a path on this site; not redirected", uuid, action, url);
            return Results.Json(new { Error = $"Job {uuid}: related action '{action}' returned '{url}', which is not a path on this site (it must start with a single '/'); not redirected." },
                Json, statusCode: StatusCodes.Status500InternalServerError);
        }

        return Results.LocalRedirect(url);
    }

    /// <summary>The form's action: back to the job page (303) with a message saying what was done, or why nothing was.</summary>
    private async Task<IResult> ActAsync(HttpContext http, string uuid, string action)
    {
        await using var env = await http.Database().BeginAsync(http.Uid());
        var outcome = await JobPageActions.PerformAsync(env, uuid, action);
        if (outcome.NotFound)
        {
            return await NotFoundPageAsync(http, uuid);
        }

        if (outcome.Error is { } error)
        {
            WebFlash.Add(http, error, error: true);
        }
        else
        {
            await env.CommitAsync();
            WebFlash.Add(http, JobPageActions.Message(action));
        }

        http.Response.Headers.Location = JobUrl(uuid);
        return Results.StatusCode(StatusCodes.Status303SeeOther);
    }

    /// <summary>The JSON action: the job's state and allowed actions after it, or 400 with why nothing was done.</summary>
    private async Task<IResult> ActJsonAsync(HttpContext http, string uuid, string action)
    {
        await using var env = await http.Database().BeginAsync(http.Uid());
        var outcome = await JobPageActions.PerformAsync(env, uuid, action);
        if (outcome.NotFound || outcome.Error is not null)
        {
            return Results.Json(new { outcome.Error, outcome.State }, Json,
                statusCode: outcome.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest);
        }

        await env.CommitAsync();
        return Results.Json(new { outcome.State, AllowedActions = JobPageActions.AllowedIn(outcome.State!) }, Json);
    }

    private Task<IResult> NotFoundPageAsync(HttpContext http, string uuid) =>
        pages.PageAsync(http, Template("job_missing.html"), "No such job", new { Uuid = uuid }, StatusCodes.Status404NotFound);

    private string Template(string name) => Path.Combine(templates, name);

    private static string JobUrl(string uuid) => $"/queue_job/jobs/{Uri.EscapeDataString(uuid)}";
}
