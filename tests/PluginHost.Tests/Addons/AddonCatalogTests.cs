using PluginHost.Host.Addons;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Addons;

/// <summary>Discovery reads every manifest and orders the graph before any DLL is loaded, reporting problems with their files.</summary>
public sealed class AddonCatalogTests
{
    private TempAddons _addons = null!;

    [SetUp]
    public void CreateFolder() => _addons = new TempAddons();

    [TearDown]
    public void DeleteFolder() => _addons.Dispose();

    [Test]
    public void Addons_come_after_their_dependencies_in_a_deterministic_order()
    {
        _addons.DataAddon("sale", ["base_jobs", "account"]);
        _addons.DataAddon("account", ["base_jobs"]);
        _addons.DataAddon("base_jobs", []);
        _addons.DataAddon("crm", []);

        var catalog = AddonCatalog.Discover([_addons.Path]);

        Assert.That(catalog.Ordered.Select(a => a.Name), Is.EqualTo(new[] { "base_jobs", "account", "crm", "sale" }));
    }

    [Test]
    public void A_missing_dependency_is_reported_with_the_manifest()
    {
        var manifest = _addons.DataAddon("sale", ["stock"]);

        var error = Assert.Throws<AddonGraphException>(() => AddonCatalog.Discover([_addons.Path]))!;

        Assert.That(error.Problems, Has.Exactly(1).Contains("'sale'").And.Contains(manifest).And.Contains("depends on 'stock'"));
    }

    [Test]
    public void A_cycle_is_reported_with_every_addon_and_file_in_it()
    {
        var a = _addons.DataAddon("cycle_a", ["cycle_b"]);
        var b = _addons.DataAddon("cycle_b", ["cycle_c"]);
        var c = _addons.DataAddon("cycle_c", ["cycle_a"]);
        _addons.DataAddon("outside", []);

        var error = Assert.Throws<AddonGraphException>(() => AddonCatalog.Discover([_addons.Path]))!;

        Assert.That(error.Problems.Single(), Does.Contain("cycle_a -> cycle_b -> cycle_c -> cycle_a").And.Contain(a).And.Contain(b).And.Contain(c));
    }

    [Test]
    public void A_name_declared_in_two_addons_folders_is_reported_with_both_files()
    {
        using var other = new TempAddons();
        var first = _addons.DataAddon("twice", []);
        var second = other.DataAddon("twice", []);

        var error = Assert.Throws<AddonGraphException>(() => AddonCatalog.Discover([_addons.Path, other.Path]))!;

        Assert.That(error.Problems.Single(), Does.Contain("'twice'").And.Contain(first).And.Contain(second));
    }

    [Test]
    public void Every_bad_manifest_is_reported_at_once()
    {
        _addons.Write("one", "manifest.json", """{ "name": "one", "version": "1.0", "summry": "typo" }""");
        _addons.Write("two", "manifest.xml", "<addon><name>two</name></addon>");

        var error = Assert.Throws<AddonGraphException>(() => AddonCatalog.Discover([_addons.Path]))!;

        Assert.That(error.Problems, Has.Count.EqualTo(2));
        Assert.That(error.Message, Does.Contain("field 'summry'").And.Contain("field 'version': is required"));
    }

    [Test]
    public void A_folder_with_both_manifest_formats_is_an_error()
    {
        _addons.DataAddon("both", []);
        _addons.Write("both", "manifest.xml", "<addon><name>both</name><version>1.0</version></addon>");

        Assert.That(() => AddonCatalog.Discover([_addons.Path]), Throws.TypeOf<AddonGraphException>().With.Message.Contains("both manifest.json and manifest.xml"));
    }

    [Test]
    public void A_missing_addons_path_folder_is_an_error()
    {
        var missing = Path.Combine(_addons.Path, "nowhere");

        Assert.That(() => AddonCatalog.Discover([missing]), Throws.TypeOf<AddonGraphException>().With.Message.Contains(missing));
    }
}
