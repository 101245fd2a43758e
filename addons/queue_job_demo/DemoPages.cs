using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PluginHost.Addons.QueueJob;
using PluginHost.Addons.Web;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJobDemo;

/// <summary>
/// The demo page (<c>/queue_job_demo</c>) and endpoint (<c>POST /queue_job_demo/jobs</c>): each creates an
/// order and delays its confirmation; <c>?fail=1</c> delays a job that fails instead. A browser's form gets the
/// page back with a message and a link to the job; a script (JSON accepted, or no form posted) gets the job as JSON.
/// </summary>
internal sealed class DemoPages(PageRenderer pages, string templates) : IWebRoutes
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/queue_job_demo", (Func<HttpContext, Guid?, Task<IResult>>)DemoPageAsync).RequireAuthorization();
        routes.MapPost("/queue_job_demo/jobs", async (HttpContext http, bool? fail) =>
        {
            var (job, name) = await CreateAsync(http.Database(), http.Uid(), fail ?? false);
            if (WantsJson(http.Request))
            {
                return Results.Json(job);
            }

            WebFlash.Add(http, $"Job \"{name}\" created ({job.Uuid}).");
            return Results.Redirect($"/queue_job_demo?job={job.Uuid}");
        }).RequireAuthorization();
    }

    /// <summary>The page; after a job was created (<paramref name="job"/>), a link to that job.</summary>
    private Task<IResult> DemoPageAsync(HttpContext http, Guid? job) =>
        pages.PageAsync(http, Path.Combine(templates, "demo.html"), "Queue job demo", new { Job = job?.ToString() ?? "" });

    /// <summary>A script asks for JSON, or posts no form; a browser's form asks for a page.</summary>
    private static bool WantsJson(HttpRequest request) =>
        !request.HasFormContentType || request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase));

    /// <summary>Creates an order and delays its job; the job and its description (<c>queue_job.name</c>).</summary>
    private static async Task<(DelayedJob Job, string Name)> CreateAsync(Database database, long uid, bool fail)
    {
        await using var env = await database.BeginAsync(uid);
        var orders = env.Model<DemoOrder>();
        var order = orders.Browse(await orders.CreateAsync(new Dictionary<string, object?> { ["name"] = $"Demo order {DateTime.UtcNow:HH:mm:ss.fff}" }));
        var job = fail
            ? await order.WithDelay(description: "Demo job that fails").EnqueueAsync(o => o.Fail("demo failure"))
            : await order.WithDelay().EnqueueAsync(o => o.ConfirmAsync("confirmed from the demo page"));
        var name = await env.ScalarAsync<string>("SELECT name FROM queue_job WHERE id = $1", job.Id);
        await env.CommitAsync();
        return (job, name ?? job.Uuid);
    }
}
