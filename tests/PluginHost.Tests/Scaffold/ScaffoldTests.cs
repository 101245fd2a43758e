using System.Globalization;
using System.Net;
using System.Xml.Linq;
using Npgsql;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Scaffold;

/// <summary>
/// <c>host scaffold</c> and <c>dotnet new pluginhost-addon</c>, as an addon author uses them: a new addon built against
/// the packages of the repository's feed (artifacts/packages, written by the build), dropped into an addons folder,
/// installed and served, and its own test project run.
/// </summary>
[NonParallelizable]
public sealed class ScaffoldTests
{
    private readonly List<string> _folders = [];

    [TearDown]
    public void RemoveFolders()
    {
        foreach (var folder in _folders)
        {
            Directory.Delete(folder, recursive: true);
        }

        _folders.Clear();
    }

    [Test]
    public async Task A_scaffolded_addon_builds_against_the_packages_installs_runs_its_delayed_job_to_done_and_its_tests_pass()
    {
        var root = TempFolder();
        await ScaffoldAsync("shop_sync", root);
        var addon = Path.Combine(root, "shop_sync");

        var build = await DotnetCli.RunAsync(addon, ["build", "-nologo"]);
        Assert.That(build.ExitCode, Is.Zero, build.Output);
        Assert.That(Directory.GetFiles(Path.Combine(addon, "bin")).Select(Path.GetFileName),
            Is.EquivalentTo(new[] { "ShopSync.dll", "ShopSync.pdb", "ShopSync.deps.json", "ShopSync.runtimeconfig.json" }),
            "nothing the host provides (the sdk, queue_job, web, Npgsql, linq2db) is copied into bin/");

        // Dropped into an addons folder of its own, as a user copies it; installed and served with web and queue_job.
        var addons = TempFolder();
        CopyFolder(addon, Path.Combine(addons, "shop_sync"));
        await using var database = new TestDatabase();
        var port = TestDatabase.FreePort();
        var options = database.Options(RepoPaths.Addons, addons);
        await using (var install = HostProcess.Run([.. HostProcess.DatabaseFlags(options), "-i", "shop_sync", "--stop-after-init"]))
        {
            Assert.That(await install.ExitCodeAsync(120), Is.Zero, string.Join(Environment.NewLine, install.Log));
        }

        await using var server = HostProcess.Run([.. HostProcess.DatabaseFlags(options), "--load", "web,queue_job", "-p", port.ToString(CultureInfo.InvariantCulture)]);
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
        };
        Assert.That(await Eventually.UntilAsync(() => AnswersAsync(http), 60, 200), Is.True, "the server answers");
        await WebForms.LogInAsync(http);
        var created = await WebForms.PostAsync(http, "/shop_sync/items", [], page: "/shop_sync");
        Assert.That(created.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), "the page created an item and delayed its sync");

        Assert.That(await Eventually.UntilAsync(async () => await database.ScalarAsync<long>(
                "SELECT count(*) FROM queue_job WHERE model_name = 'shop_sync.item' AND method_name = 'SyncAsync' AND channel = 'root.shop_sync' AND state = 'done'") == 1, 60, 100),
            Is.True, "the delayed job ran to done on the addon's channel: " + string.Join(Environment.NewLine, server.Log.TakeLast(40)));
        Assert.That(await database.ColumnAsync<string>("SELECT state FROM shop_sync_item"), Is.EqualTo(new[] { "synced" }));
        var page = await http.GetStringAsync("/shop_sync");
        Assert.That(page, Does.Contain("<td>synced</td>"), "the page lists the item, synced");

        var tests = await DotnetCli.RunAsync(Path.Combine(addon, "tests"), ["test", "-nologo"],
            new Dictionary<string, string> { [TestPostgres.Variable] = TestPostgres.ConnectionString });
        Assert.That(tests.ExitCode, Is.Zero, tests.Output);
        Assert.That(tests.Output, Does.Match(@"Passed!\s+-\s+Failed:\s+0, Passed:\s+[1-9]"), "the generated tests ran and passed: " + tests.Output);
    }

    [Test]
    public async Task Dotnet_new_writes_the_same_files_as_host_scaffold()
    {
        var scaffolded = TempFolder();
        await ScaffoldAsync("shop_sync", scaffolded);

        var hive = TempFolder();
        var templates = Directory.GetFiles(Path.Combine(RepoPaths.Root, "artifacts", "packages"), "PluginHost.Templates.*.nupkg").Single();
        var install = await DotnetCli.RunAsync(hive, ["new", "install", templates, "--debug:custom-hive", hive]);
        Assert.That(install.ExitCode, Is.Zero, install.Output);
        var created = TempFolder();
        var instantiate = await DotnetCli.RunAsync(created, ["new", "pluginhost-addon", "-n", "shop_sync", "--debug:custom-hive", hive]);
        Assert.That(instantiate.ExitCode, Is.Zero, instantiate.Output);

        var expected = Files(Path.Combine(scaffolded, "shop_sync"));
        var actual = Files(Path.Combine(created, "shop_sync"));
        Assert.That(actual.Keys, Is.EquivalentTo(expected.Keys), "the same file names");
        Assert.Multiple(() =>
        {
            foreach (var (name, text) in expected)
            {
                Assert.That(actual[name], Is.EqualTo(text), name);
            }
        });
        Assert.That(expected["ShopSyncItem.cs"], Does.Contain("[Model(\"shop_sync.item\")]").And.Contain("class ShopSyncItem"), "the names were replaced");
        Assert.That(expected[Path.Combine("tests", "ShopSync.Tests.csproj")], Does.Contain("Include=\"NUnit\" Version=\"" + PackageVersion("NUnit") + "\"")
            .And.Contain("Include=\"NUnit3TestAdapter\" Version=\"" + PackageVersion("NUnit3TestAdapter") + "\"")
            .And.Contain("Include=\"Microsoft.NET.Test.Sdk\" Version=\"" + PackageVersion("Microsoft.NET.Test.Sdk") + "\""),
            "the test packages' versions are those of Directory.Packages.props");
    }

    [TestCase("Shop-Sync")]
    [TestCase("1shop")]
    [TestCase("ShopSync")]
    public async Task A_name_that_is_not_a_technical_name_is_refused(string name)
    {
        var root = TempFolder();
        await using var scaffold = HostProcess.Run(["scaffold", name, root]);
        Assert.That(await scaffold.ExitCodeAsync(60), Is.EqualTo(2));
        Assert.That(string.Join(Environment.NewLine, scaffold.Log), Does.Contain($"NAME '{name}' is not a technical name"));
        Assert.That(Directory.EnumerateFileSystemEntries(root), Is.Empty, "nothing written");
    }

    [Test]
    public async Task An_existing_folder_is_left_as_it_is()
    {
        var root = TempFolder();
        var existing = Path.Combine(root, "shop_sync");
        Directory.CreateDirectory(existing);
        await File.WriteAllTextAsync(Path.Combine(existing, "notes.txt"), "mine");

        await using var scaffold = HostProcess.Run(["scaffold", "shop_sync", root]);
        Assert.That(await scaffold.ExitCodeAsync(60), Is.EqualTo(1));
        Assert.That(string.Join(Environment.NewLine, scaffold.Log), Does.Contain($"{existing} already exists and is not empty"));
        Assert.That(Directory.GetFileSystemEntries(existing).Select(Path.GetFileName), Is.EqualTo(new[] { "notes.txt" }));
    }

    [Test]
    public async Task A_dir_that_is_a_file_is_reported_in_one_line_with_exit_code_1()
    {
        var root = TempFolder();
        var file = Path.Combine(root, "not_a_folder");
        await File.WriteAllTextAsync(file, "mine");

        await using var scaffold = HostProcess.Run(["scaffold", "shop_sync", file]);
        Assert.That(await scaffold.ExitCodeAsync(60), Is.EqualTo(1));
        var log = string.Join(Environment.NewLine, scaffold.Log);
        Assert.That(log, Does.Contain($"host scaffold: cannot write {Path.Combine(file, "shop_sync")}: "));
        Assert.That(log, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(await File.ReadAllTextAsync(file), Is.EqualTo("mine"));
    }

    [Test]
    public async Task Scaffold_reads_no_configuration_so_a_broken_file_or_flag_does_not_stop_it()
    {
        var root = TempFolder();
        var config = Path.Combine(root, "broken.conf");
        await File.WriteAllTextAsync(config, "[options\ndb_port = not a port\n");
        var parent = Path.Combine(root, "addons");

        await using var scaffold = HostProcess.Run(["-c", config, "--db-port", "not-a-port", "scaffold", "shop_sync", parent]);
        Assert.That(await scaffold.ExitCodeAsync(60), Is.Zero, string.Join(Environment.NewLine, scaffold.Log));
        Assert.That(File.Exists(Path.Combine(parent, "shop_sync", "manifest.xml")), Is.True, "the addon was written");
    }

    private static async Task ScaffoldAsync(string name, string folder)
    {
        await using var scaffold = HostProcess.Run(["scaffold", name, folder]);
        Assert.That(await scaffold.ExitCodeAsync(60), Is.Zero, string.Join(Environment.NewLine, scaffold.Log));
    }

    /// <summary>The version of <paramref name="package"/> in the repository's Directory.Packages.props.</summary>
    private static string PackageVersion(string package) =>
        XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .Single(p => (string?)p.Attribute("Include") == package).Attribute("Version")!.Value;

    private static async Task<bool> AnswersAsync(HttpClient http)
    {
        try
        {
            return (await http.GetAsync("/web/login")).StatusCode == HttpStatusCode.OK;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    /// <summary>Every file under <paramref name="folder"/> (build output aside), by relative path, with its text.</summary>
    private static Dictionary<string, string> Files(string folder) => Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(folder, f))
        .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
        .ToDictionary(f => f, f => File.ReadAllText(Path.Combine(folder, f)));

    private static void CopyFolder(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private string TempFolder()
    {
        var folder = Directory.CreateTempSubdirectory("pluginhost-scaffold-").FullName;
        _folders.Add(folder);
        return folder;
    }
}
