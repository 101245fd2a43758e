using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PluginHost.Addons.Web;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>The Job Queue dashboard (<c>/queue_job/dashboard</c>), for Job Queue managers: the shared snapshot as <see cref="DashboardModel"/>.</summary>
internal sealed class DashboardPages(QueueSnapshots snapshots, PageRenderer pages, string templates) : IWebRoutes
{
    public void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/queue_job/dashboard", (Func<HttpContext, Task<IResult>>)DashboardAsync).RequireGroup(JobQueueAccess.ManagerGroup);

    private async Task<IResult> DashboardAsync(HttpContext http) =>
        await pages.PageAsync(http, Path.Combine(templates, "dashboard.html"), "Job Queue", DashboardModel.From(await snapshots.For(http.Database()).CurrentAsync()));
}
