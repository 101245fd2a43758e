using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PluginHost.Addons.QueueJob;
using PluginHost.Addons.Web;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJobDemo;

/// <summary>
/// The demo page (<c>/queue_job_demo</c>) and endpoint (<c>POST /queue_job_demo/jobs</c>): each creates an
/// order and delays its confirmation; <c>?fail=1</c> delays a job that fails instead.
/// </summary>
internal sealed class DemoPages(Database database, PageRenderer pages, string templates) : IWebRoutes
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/queue_job_demo", (Func<HttpContext, Task<IResult>>)(http => pages.PageAsync(http, Path.Combine(templates, "demo.html"), "Queue job demo", null))).RequireAuthorization();
        routes.MapPost("/queue_job_demo/jobs", async (HttpContext http, bool? fail) =>
        {
            var job = await CreateAsync(http.Uid(), fail ?? false);
            return http.Request.HasFormContentType ? Results.Redirect("/queue_job/jobs") : Results.Json(job);
        }).RequireAuthorization();
    }

    private async Task<DelayedJob> CreateAsync(long uid, bool fail)
    {
        await using var env = await database.BeginAsync(uid);
        var orders = env.Model<DemoOrder>();
        var order = orders.Browse(await orders.CreateAsync(new Dictionary<string, object?> { ["name"] = $"Demo order {DateTime.UtcNow:HH:mm:ss.fff}" }));
        var job = fail
            ? await order.WithDelay(description: "Demo job that fails").EnqueueAsync(o => o.Fail("demo failure"))
            : await order.WithDelay().EnqueueAsync(o => o.ConfirmAsync("confirmed from the demo page"));
        await env.CommitAsync();
        return job;
    }
}
