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
