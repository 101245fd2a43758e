using LinqToDB.Async;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PluginHost.Addons.Web;

namespace AddonName;

/// <summary>
/// The page <c>/addon_name</c> (the latest items) and <c>POST /addon_name/items</c>, which creates an item and delays
/// its sync; the page template is <c>templates/items.html</c>.
/// </summary>
internal sealed class AddonNamePage(PageRenderer pages, string templates) : IWebRoutes
{
    public void Map(IEndpointRouteBuilder routes)
    {
        // Typed as Func, not RequestDelegate, so that the IResult returned is written to the response.
        routes.MapGet("/addon_name", (Func<HttpContext, Task<IResult>>)ItemsAsync).RequireAuthorization();
        routes.MapPost("/addon_name/items", (Func<HttpContext, Task<IResult>>)CreateAsync).RequireAuthorization();
    }

    private async Task<IResult> ItemsAsync(HttpContext http)
    {
        await using var env = await http.Database().BeginAsync(http.Uid());
        var items = await env.Query<AddonNameItemRow>().OrderByDescending(i => i.Id).Take(50).ToListAsync(env.CancellationToken);
        return await pages.PageAsync(http, Path.Combine(templates, "items.html"), "addon_name", new { Items = items });
    }

    private static async Task<IResult> CreateAsync(HttpContext http)
    {
        await using var env = await http.Database().BeginAsync(http.Uid());
        var item = (AddonNameItem)await env.Model<AddonNameItem>().CreateAsync(new AddonNameItemRow { Name = $"Item {DateTime.UtcNow:HH:mm:ss}" });
        var job = await item.SyncLaterAsync();
        await env.CommitAsync();
        WebFlash.Add(http, $"Item created; its sync is job {job.Uuid}.");
        return Results.Redirect("/addon_name");
    }
}
