using Microsoft.Extensions.DependencyInjection;
using PluginHost.Addons.Web;
using PluginHost.Sdk;

namespace AddonName;

/// <summary>The entry point of addon_name: its model, its migrations, its page and menu.</summary>
public sealed class AddonNameAddon : Addon
{
    /// <summary>Registers <c>addon_name.item</c>.</summary>
    public override void RegisterModels(ModelRegistryBuilder models) => models.Add<AddonNameItem>();

    /// <summary>The embedded <c>Migrations/*.sql</c>.</summary>
    public override IEnumerable<SchemaMigration> Migrations => SchemaMigration.FromResources(typeof(AddonNameAddon).Assembly);

    /// <summary>Adds the page <c>/addon_name</c> and its menu.</summary>
    public override void ConfigureServices(IServiceCollection services, AddonContext context)
    {
        var templates = Path.Combine(context.Directory, "templates");
        services.AddSingleton(new WebMenu("addon_name", "/addon_name", 50));
        services.AddSingleton<IWebRoutes>(sp => new AddonNamePage(sp.GetRequiredService<PageRenderer>(), templates));
    }
}
