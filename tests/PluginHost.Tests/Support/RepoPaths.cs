namespace PluginHost.Tests.Support;

/// <summary>Folders of the repository the tests load real addons from.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>The bundled addons: web, queue_job, queue_job_demo.</summary>
    public static string Addons => Path.Combine(Root, "addons");

    /// <summary>The fixture addons built by this test project.</summary>
    public static string FixtureAddons => Path.Combine(Root, "tests", "fixtures", "addons");

    /// <summary>Fixture addons that must fail to load (a throwing constructor, bad migrations), kept apart from the others.</summary>
    public static string BrokenAddons => Path.Combine(Root, "tests", "fixtures", "broken_addons");

    /// <summary>
    /// The addons folder holding build 1.0.0 of the upgrade_shop fixture addon; <see cref="UpgradeShopV2"/> holds build
    /// 1.1.0 of the same addon, so a test upgrades or downgrades a database by booting with one folder or the other.
    /// </summary>
    public static string UpgradeShopV1 => Path.Combine(Root, "tests", "fixtures", "upgrade", "v1");

    /// <summary>The addons folder holding build 1.1.0 of upgrade_shop: a job parameter with a default added, a job method removed, migration 0002.</summary>
    public static string UpgradeShopV2 => Path.Combine(Root, "tests", "fixtures", "upgrade", "v2");

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "PluginHost.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("PluginHost.sln not found above " + TestContext.CurrentContext.TestDirectory);
    }
}
