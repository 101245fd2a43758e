using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PluginHost.Addons.Web.Internal;
using PluginHost.Sdk;

namespace PluginHost.Addons.Web;

/// <summary>The web addon: page rendering for every loaded addon, and the HTTP server when loaded server-wide.</summary>
public sealed class WebAddon : Addon
{
    /// <summary>The embedded <c>Migrations/*.sql</c>: the session key table.</summary>
    public override IEnumerable<SchemaMigration> Migrations => SchemaMigration.FromResources(typeof(WebAddon).Assembly);

    /// <summary>
    /// ASP.NET Core's request duration histogram (meter <c>Microsoft.AspNetCore.Hosting</c>), published at <c>/metrics</c> by
    /// method, route template and status code.
    /// </summary>
    internal static readonly PrometheusMetric HttpRequestDuration = new("Microsoft.AspNetCore.Hosting", "http.server.request.duration",
        "http_server_request_duration_seconds", "How long the HTTP requests served here took, by method, route and status code.",
        ["http.request.method", "http.route", "http.response.status_code"]);

    /// <summary><c>[web]</c>: who may scrape <c>/metrics</c> (<c>metrics_port</c>, <c>metrics_token</c>; nobody on the public port by default), and <c>proxy_mode</c>.</summary>
    public override IReadOnlyCollection<string> ConfigurationKeys => ["metrics_port", "metrics_token", "proxy_mode"];

    /// <summary><c>host users</c>: list, create, change users and their groups.</summary>
    public override IReadOnlyList<AddonCommand> Commands => [UsersCommand.Declaration];

    /// <summary>A bad <c>metrics_port</c> or <c>proxy_mode</c> stops the start before any connection.</summary>
    public override void CheckConfiguration(IConfigurationSection section)
    {
        MetricsAccess.From(section);
        ProxyMode.From(section);
    }

    /// <summary>Adds the renderer, login, record and metrics routes; starts the metrics exporter and Kestrel when server-wide.</summary>
    public override void ConfigureServices(IServiceCollection services, AddonContext context)
    {
        services.AddSingleton(sp => new PageRenderer(Path.Combine(context.Directory, "templates", "layout.html"), sp.GetServices<WebMenu>()));
        services.AddSingleton<IWebRoutes>(sp => new LoginRoutes(sp.GetRequiredService<PageRenderer>(), Path.Combine(context.Directory, "templates")));
        services.AddSingleton<IWebRoutes>(sp => new RecordPages(sp.GetRequiredService<PageRenderer>(), Path.Combine(context.Directory, "templates")));
        services.AddMetrics();
        services.AddSingleton(HttpRequestDuration);
        services.AddSingleton<PrometheusExporter>();
        services.AddSingleton(ProxyMode.From(context.Section));
        var metricsAccess = MetricsAccess.From(context.Section);
        services.AddSingleton(metricsAccess);
        services.AddSingleton<IWebRoutes>(sp => new MetricsRoutes(sp.GetRequiredService<PrometheusExporter>(), metricsAccess));
        if (context.IsServerWide)
        {
            // Listening from before the services of the addons loaded after web start, so none of their measurements is missed.
            services.AddHostedService(sp => sp.GetRequiredService<PrometheusExporter>());
            services.AddHostedService<WebServer>();
        }
    }
}
