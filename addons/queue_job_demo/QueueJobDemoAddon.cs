using Microsoft.Extensions.DependencyInjection;
using PluginHost.Addons.Web;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJobDemo;

/// <summary>The demo addon: the <c>demo.order</c> model, its channel and job function, and the demo page.</summary>
public sealed class QueueJobDemoAddon : Addon
{
    /// <summary>Registers <c>demo.order</c>.</summary>
    public override void RegisterModels(ModelRegistryBuilder models) => models.Add<DemoOrder>();

    /// <summary>The embedded <c>Migrations/*.sql</c>.</summary>
    public override IEnumerable<SchemaMigration> Migrations => SchemaMigration.FromResources(typeof(QueueJobDemoAddon).Assembly);

    /// <summary>Adds the demo page and its menu.</summary>
    public override void ConfigureServices(IServiceCollection services, AddonContext context)
    {
        var templates = Path.Combine(context.Directory, "templates");
        services.AddSingleton(new WebMenu("Queue job demo", "/queue_job_demo", 60));
        services.AddSingleton<IWebRoutes>(sp => new DemoPages(sp.GetRequiredService<PageRenderer>(), templates));
    }
}
