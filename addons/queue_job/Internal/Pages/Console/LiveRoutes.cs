using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PluginHost.Addons.Web;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// <c>GET /queue_job/live.json</c>: <c>{"version": "…"}</c> of the shared <see cref="QueueSnapshot"/>, for Job Queue
/// managers. Pages with a <c>#live</c> part poll it (<c>static/live.js</c>) and reload that part when the version
/// changes; answering from memory, it costs the database nothing beyond the snapshot's own reads.
/// </summary>
internal sealed class LiveRoutes(QueueSnapshots snapshots) : IWebRoutes
{
    public void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/queue_job/live.json", (Func<HttpContext, Task<IResult>>)VersionAsync).RequireGroup(JobQueueAccess.ManagerGroup);

    private async Task<IResult> VersionAsync(HttpContext http)
    {
        var snapshot = await snapshots.For(http.Database()).CurrentAsync();
        http.Response.Headers.CacheControl = "no-store";
        return Results.Json(new { version = snapshot.Version });
    }
}
