using PluginHost.Host.Addons;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Addons;

/// <summary>Real fixture addons, built by this test project, loaded as the host loads them.</summary>
public sealed class AddonLoaderTests
{
    [Test]
    public void A_dependent_addon_uses_its_dependency_types_with_the_same_identity()
    {
        var loaded = Load("fixture_dependent");
        var baseAddon = loaded.Single(a => a.Name == "fixture_base");
        var dependent = loaded.Single(a => a.Name == "fixture_dependent");

        var caught = dependent.Entry!.GetType().GetMethod("RaiseForBase")!.Invoke(dependent.Entry, null);
        var seenType = (Type)dependent.Entry.GetType().GetProperty("ErrorType")!.GetValue(dependent.Entry)!;

        Assert.That(caught, Is.EqualTo("caught: raised by fixture_dependent"));
        Assert.That(seenType, Is.SameAs(baseAddon.Assembly!.GetType("FixtureBase.FixtureBaseError")));
    }

    [Test]
    public void Two_addons_bundling_two_versions_of_one_library_each_see_their_own()
    {
        var loaded = Load("fixture_lib_one", "fixture_lib_two");

        var versions = loaded.Select(a => a.Entry!.GetType().GetMethod("GreetingVersion")!.Invoke(a.Entry, null)).ToList();
        var libraries = loaded.Select(a => a.Loader!.LoadAssembly(new System.Reflection.AssemblyName("GreetingLib"))).ToList();

        Assert.That(versions, Is.EqualTo(new[] { "1", "2" }));
        Assert.That(libraries.Select(l => l.GetName().Version!.Major), Is.EqualTo(new[] { 1, 2 }));
    }

    [Test]
    public void The_sdk_is_shared_with_the_host()
    {
        var addon = Load("fixture_base").Single();

        Assert.That(addon.Entry, Is.InstanceOf<PluginHost.Sdk.Addon>());
    }

    [Test]
    public void An_addon_whose_assembly_is_missing_names_the_manifest_and_the_path()
    {
        using var addons = new TempAddons();
        var manifest = addons.Write("unbuilt", "manifest.json", """{ "name": "unbuilt", "version": "1.0", "assembly": "bin/Unbuilt.dll" }""");
        var catalog = AddonCatalog.Discover([addons.Path]);

        Assert.That(() => AddonLoader.Load(catalog.Ordered),
            Throws.TypeOf<AddonLoadException>().With.Message.Contains(manifest).And.Message.Contains("bin/Unbuilt.dll"));
    }

    [TestCase("broken_constructor", "addon 'broken_constructor': the constructor of BrokenConstructor.BrokenConstructorAddon threw InvalidOperationException: the licence key is missing")]
    [TestCase("broken_migrations", "share the number 1", "'BrokenMigrations.Migrations.0001_create.sql'", "'BrokenMigrations.Migrations.0001_again.sql'")]
    [TestCase("misnamed_migration", "'MisnamedMigration.Migrations.create_table.sql' does not read Migrations/NNNN_description.sql")]
    public void A_broken_addon_is_refused_at_load_naming_its_manifest_and_the_problem(string name, params string[] problem)
    {
        var catalog = AddonCatalog.Discover([RepoPaths.Addons, RepoPaths.BrokenAddons]);

        var error = Assert.Throws<AddonLoadException>(() => AddonLoader.Load(catalog.WithDependencies([name])))!;

        Assert.That(error.Message, Does.Contain(Path.Combine(RepoPaths.BrokenAddons, name, "manifest.json")));
        Assert.That(problem, Is.All.Matches<string>(p => error.Message.Contains(p, StringComparison.Ordinal)), error.Message);
    }

    private static IReadOnlyList<LoadedAddon> Load(params string[] names)
    {
        var catalog = AddonCatalog.Discover([RepoPaths.Addons, RepoPaths.FixtureAddons]);
        return AddonLoader.Load(catalog.WithDependencies(names));
    }
}
