using Microsoft.Extensions.DependencyInjection;
using PluginHost.Addons.Web.Internal;
using PluginHost.Sdk;

namespace PluginHost.Addons.Web;

/// <summary>The web addon: page rendering for every loaded addon, and the HTTP server when loaded server-wide.</summary>
public sealed class WebAddon : Addon
{
    /// <summary>The embedded <c>Migrations/*.sql</c>: the session key table.</summary>
    public override IEnumerable<SchemaMigration> Migrations => SchemaMigration.FromResources(typeof(WebAddon).Assembly);

    /// <summary>Adds the renderer and login routes; starts Kestrel when server-wide.</summary>
    public override void ConfigureServices(IServiceCollection services, AddonContext context)
    {
        services.AddSingleton(sp => new PageRenderer(Path.Combine(context.Directory, "templates", "layout.html"), sp.GetServices<WebMenu>()));
        services.AddSingleton<IWebRoutes>(sp => new LoginRoutes(
            sp.GetRequiredService<Database>(), sp.GetRequiredService<PageRenderer>(), Path.Combine(context.Directory, "templates")));
        services.AddSingleton<IWebRoutes>(sp => new RecordPages(
            sp.GetRequiredService<Database>(), sp.GetRequiredService<PageRenderer>(), Path.Combine(context.Directory, "templates")));
        services.AddSingleton<IWebRoutes>(sp => new MetricsRoutes(sp.GetRequiredService<Database>(), sp.GetServices<IMetricsSource>()));
        if (context.IsServerWide)
        {
            services.AddHostedService<WebServer>();
        }
    }
}
