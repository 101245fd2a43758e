using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PluginHost.Sdk;

namespace PluginHost.Addons.Web.Internal;

/// <summary><c>GET /metrics</c>: every <see cref="IMetricsSource"/> in the Prometheus text format, for a scraper.</summary>
internal sealed class MetricsRoutes(Database database, IEnumerable<IMetricsSource> sources) : IWebRoutes
{
    public void Map(IEndpointRouteBuilder routes) =>
        routes.MapGet("/metrics", (Func<Task<IResult>>)WriteAsync);

    private async Task<IResult> WriteAsync()
    {
        await using var env = await database.BeginAsync();
        await using var writer = new StringWriter();
        foreach (var source in sources)
        {
            await source.WriteAsync(writer, env);
        }

        return Results.Text(writer.ToString(), "text/plain; version=0.0.4; charset=utf-8");
    }
}
