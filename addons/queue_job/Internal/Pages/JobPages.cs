using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PluginHost.Addons.Web;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>One job's page (<c>/queue_job/jobs/{uuid}</c>) with its actions (requeue, cancel, set done) and its related action, for Job Queue managers.</summary>
internal sealed class JobPages(Database database, PageRenderer pages, RelatedActions relatedActions, string templates) : IWebRoutes
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/queue_job/jobs/{uuid}", (Func<HttpContext, string, Task<IResult>>)JobPageAsync).RequireGroup(JobQueueAccess.ManagerGroup);
        routes.MapGet("/queue_job/jobs/{uuid}/related", (Func<HttpContext, string, Task<IResult>>)RelatedAsync).RequireGroup(JobQueueAccess.ManagerGroup);
        routes.MapPost("/queue_job/jobs/{uuid}/{action}", (Func<HttpContext, string, string, Task<IResult>>)ActAsync).RequireGroup(JobQueueAccess.ManagerGroup);
    }

    private async Task<IResult> JobPageAsync(HttpContext http, string uuid)
    {
        await using var env = await database.BeginAsync(http.Uid());
        var job = await JobAsync(env, uuid);
        if (job is null)
        {
            return Results.NotFound($"No job {uuid}.");
        }

        var fields = (await job.ReadAsync())[0];
        return await pages.PageAsync(http, Path.Combine(templates, "job.html"), fields["name"] as string ?? uuid, new
        {
            Uuid = uuid,
            State = fields["state"],
            Fields = fields.Select(f => new { Name = f.Key, Value = f.Value is DateTime date ? date.ToString("yyyy-MM-dd HH:mm:ss.fff") : f.Value?.ToString() ?? "" }),
        });
    }

    private async Task<IResult> RelatedAsync(HttpContext http, string uuid)
    {
        await using var env = await database.BeginAsync(http.Uid());
        try
        {
            return await relatedActions.OpenAsync(env, uuid) is { } url ? Results.Redirect(url) : Results.NotFound($"Job {uuid} has no related action.");
        }
        catch (KeyNotFoundException e)
        {
            return Results.NotFound(e.Message);
        }
    }

    private async Task<IResult> ActAsync(HttpContext http, string uuid, string action)
    {
        await using var env = await database.BeginAsync(http.Uid());
        var job = await JobAsync(env, uuid);
        if (job is null)
        {
            return Results.NotFound($"No job {uuid}.");
        }

        Task work = action switch
        {
            "requeue" => job.RequeueAsync(),
            "cancel" => job.CancelAsync(),
            "done" => job.SetDoneAsync(),
            _ => Task.FromException(new ArgumentException($"Unknown job action '{action}': expected requeue, cancel or done.")),
        };
        if (work.IsFaulted)
        {
            return Results.BadRequest(work.Exception!.InnerException!.Message);
        }

        await work;
        await env.CommitAsync();
        return Results.Redirect($"/queue_job/jobs/{uuid}");
    }

    private static async Task<QueueJob?> JobAsync(Env env, string uuid)
    {
        var jobs = (QueueJob)await env.Model<QueueJob>().SearchAsync("uuid = $1", uuid);
        return jobs.Ids.Count == 1 ? jobs : null;
    }
}
