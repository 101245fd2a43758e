using System.Diagnostics;
using System.Text.RegularExpressions;
using PluginHost.Host.Hosting;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Web;

/// <summary>The README's curl walkthrough (the block after <c>&lt;!-- walkthrough --&gt;</c>), run with bash and curl against a running host.</summary>
public sealed partial class ReadmeWalkthroughTests
{
    private TestDatabase _database = null!;
    private BootedHost _host = null!;
    private PluginHost.Host.Configuration.ServerOptions _options = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _database = new TestDatabase();
        _options = _database.Options(RepoPaths.Addons) with { ServerWideModules = ["web", "queue_job"], Init = ["queue_job_demo"] };
        _host = await TestHost.BootAsync(_options, new Dictionary<string, string?> { ["queue_job:channels"] = "root:2" });
        await _host.Host.StartAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task The_curl_walkthrough_logs_in_creates_a_job_and_lists_it_done()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "README.md"));
        var block = Walkthrough().Match(readme);
        Assert.That(block.Success, "README.md has a ```sh block after <!-- walkthrough -->");
        var script = block.Groups[1].Value.Replace("127.0.0.1:8069", $"{_options.HttpInterface}:{_options.HttpPort}", StringComparison.Ordinal);
        var lines = script.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var folder = Directory.CreateTempSubdirectory("walkthrough").FullName;

        // Every line but the last once; the last (the list) until the job is done.
        var created = await BashAsync(folder, string.Join('\n', lines[..^1]));
        var uuid = Uuid().Match(created).Groups[1].Value;
        Assert.That(uuid, Is.Not.Empty, $"the demo POST answered a job: {created}");
        var listed = "";
        await Eventually.UntilAsync(async () => (listed = await BashAsync(folder, lines[^1])).Contains(uuid, StringComparison.Ordinal)
            && DoneJob(uuid).IsMatch(listed), 30);
        Assert.That(listed, Does.Match(DoneJob(uuid).ToString()));
    }

    private static Regex DoneJob(string uuid) => new($"\"uuid\":\"{uuid}\"[^}}]*\"state\":\"done\"");

    private static async Task<string> BashAsync(string folder, string script)
    {
        using var bash = Process.Start(new ProcessStartInfo("bash", ["-euo", "pipefail", "-c", script])
        {
            WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var output = await bash.StandardOutput.ReadToEndAsync();
        var errors = await bash.StandardError.ReadToEndAsync();
        await bash.WaitForExitAsync();
        Assert.That(bash.ExitCode, Is.Zero, $"bash: {errors}\n{output}");
        return output;
    }

    [GeneratedRegex(@"<!-- walkthrough -->\s*```sh\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex Walkthrough();

    [GeneratedRegex("\"uuid\":\"([0-9a-f-]{36})\"")]
    private static partial Regex Uuid();
}
