using PluginHost.Host.Addons;
using PluginHost.Host.Modules;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Modules;

/// <summary>What gets loaded, installed, updated and uninstalled, decided before any DLL is loaded.</summary>
public sealed class ModulePlanTests
{
    private TempAddons _addons = null!;
    private AddonCatalog _catalog = null!;

    [SetUp]
    public void CreateCatalog()
    {
        _addons = new TempAddons();
        _addons.DataAddon("base_jobs", []);
        _addons.DataAddon("sale", ["base_jobs"]);
        _addons.DataAddon("stock", ["base_jobs"]);
        _addons.Write("sale_stock", "manifest.json", """{ "name": "sale_stock", "version": "1.0", "depends": ["sale", "stock"], "auto_install": true }""");
        _addons.Write("hidden", "manifest.json", """{ "name": "hidden", "version": "1.0", "installable": false }""");
        _catalog = AddonCatalog.Discover([_addons.Path]);
    }

    [TearDown]
    public void DeleteFolder() => _addons.Dispose();

    [Test]
    public void Installing_brings_dependencies_and_auto_install_addons_in_order()
    {
        var plan = ModulePlan.Compute(_catalog, new HashSet<string>(), new ModuleRequest { Install = ["sale", "stock"] });

        Assert.That(plan.Install.Select(a => a.Name), Is.EqualTo(new[] { "base_jobs", "sale", "stock", "sale_stock" }));
        Assert.That(plan.Load.Select(a => a.Name), Is.EqualTo(plan.Install.Select(a => a.Name)));
    }

    [Test]
    public void Installed_addons_are_not_installed_again_but_are_loaded()
    {
        var plan = ModulePlan.Compute(_catalog, new HashSet<string> { "base_jobs", "sale" }, new ModuleRequest { Install = ["sale"] });

        Assert.That(plan.Install, Is.Empty);
        Assert.That(plan.Load.Select(a => a.Name), Is.EqualTo(new[] { "base_jobs", "sale" }));
    }

    [Test]
    public void Uninstalling_takes_the_installed_addons_that_depend_on_it()
    {
        var installed = new HashSet<string> { "base_jobs", "sale", "stock", "sale_stock" };

        var plan = ModulePlan.Compute(_catalog, installed, new ModuleRequest { Uninstall = ["stock"] });

        Assert.That(plan.Uninstall.Select(a => a.Name), Is.EqualTo(new[] { "stock", "sale_stock" }));
    }

    [Test]
    public void Updating_all_updates_every_installed_addon()
    {
        var plan = ModulePlan.Compute(_catalog, new HashSet<string> { "base_jobs", "sale" }, new ModuleRequest { Update = ["all"] });

        Assert.That(plan.Update.Select(a => a.Name), Is.EqualTo(new[] { "base_jobs", "sale" }));
    }

    [Test]
    public void An_addon_marked_not_installable_is_refused_by_name()
    {
        Assert.That(() => ModulePlan.Compute(_catalog, new HashSet<string>(), new ModuleRequest { Install = ["hidden"] }),
            Throws.ArgumentException.With.Message.Contains("'hidden'").And.Message.Contains("installable: false"));
    }

    [Test]
    public void An_unknown_addon_is_refused_by_name()
    {
        Assert.That(() => ModulePlan.Compute(_catalog, new HashSet<string>(), new ModuleRequest { Install = ["sael"] }),
            Throws.ArgumentException.With.Message.Contains("'sael'"));
    }

    [Test]
    public void Installing_and_uninstalling_one_addon_at_once_is_refused()
    {
        Assert.That(() => ModulePlan.Compute(_catalog, new HashSet<string> { "base_jobs", "sale" }, new ModuleRequest { Install = ["stock"], Uninstall = ["base_jobs"] }),
            Throws.ArgumentException.With.Message.Contains("'stock'").And.Message.Contains("'base_jobs'"));
    }
}
