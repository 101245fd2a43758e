using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace PluginHost.Addons.Web.Internal;

/// <summary>
/// <c>GET /metrics</c>: the exporter's registry in the Prometheus text format, for a scraper allowed by
/// <see cref="MetricsAccess"/> (others get 404, as if there were nothing). A scrape reads values kept in memory; it
/// never queries a database.
/// </summary>
internal sealed class MetricsRoutes(PrometheusExporter exporter, MetricsAccess access) : IWebRoutes
{
    public void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/metrics", (Func<HttpContext, Task>)WriteAsync);

    private async Task WriteAsync(HttpContext http)
    {
        if (!access.Allows(http))
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        // Serialized in memory first: Kestrel allows no synchronous write, and the length is known before the first byte.
        using var text = new MemoryStream();
        await exporter.Registry.CollectAndExportAsTextAsync(text, http.RequestAborted);
        http.Response.ContentType = PrometheusConstants.TextContentTypeWithVersionAndEncoding;
        http.Response.ContentLength = text.Length;
        text.Position = 0;
        await text.CopyToAsync(http.Response.Body, http.RequestAborted);
    }
}
