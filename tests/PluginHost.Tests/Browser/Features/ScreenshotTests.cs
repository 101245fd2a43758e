using Microsoft.Playwright;

namespace PluginHost.Tests.Browser.Features;

/// <summary>
/// The README's pictures of the console, 1280×800: the Jobs list, a failed job, a job graph, the dashboard. Written
/// to the folder <c>PLUGINHOST_SCREENSHOTS</c> names (<c>scripts/screenshots</c> sets it to <c>docs/img</c>), else
/// to the test's own work folder, so the normal run checks the pages render without touching the repository.
/// </summary>
[Category("Screenshots")]
public sealed class ScreenshotTests : BrowserTestBase
{
    /// <summary>The environment variable naming the folder the pictures are written to.</summary>
    public const string FolderVariable = "PLUGINHOST_SCREENSHOTS";

    [Test]
    public async Task The_console_is_pictured_for_the_readme()
    {
        var folder = Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } configured
            ? configured
            : Path.Combine(TestContext.CurrentContext.WorkDirectory, "screenshots-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var graph = await Jobs.DoneGraphAsync();
        var failed = await Jobs.FailingUntilToldAsync("Import the supplier price list");
        await Jobs.PendingAsync(3);
        await Jobs.InsertDoneAsync(40, TimeSpan.FromHours(-1));

        var pictures = new List<string>
        {
            await PictureAsync("/queue_job/jobs", "table#jobs", Path.Combine(folder, "jobs.png")),
            await PictureAsync($"/queue_job/jobs/{failed}", "pre#traceback", Path.Combine(folder, "job-failed.png")),
            await PictureAsync($"/queue_job/jobs/{graph["Graph B"]}", "svg#job-graph", Path.Combine(folder, "job-graph.png")),
            await PictureAsync("/queue_job/dashboard", "table#channels", Path.Combine(folder, "dashboard.png")),
        };

        Assert.That(pictures.Select(PngSize), Is.All.EqualTo((1280, 800)));
    }

    /// <summary>Opens <paramref name="path"/>, waits for <paramref name="shown"/> and scrolls to it, writes the viewport to <paramref name="file"/>.</summary>
    private async Task<string> PictureAsync(string path, string shown, string file)
    {
        await Page.GotoAsync(path);
        await Expect(Page.Locator(shown)).ToBeVisibleAsync();
        await Page.Locator(shown).ScrollIntoViewIfNeededAsync();
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = file });
        return file;
    }

    /// <summary>Width and height from a PNG's header (IHDR, big-endian at bytes 16–23).</summary>
    private static (int Width, int Height) PngSize(string file)
    {
        var header = File.ReadAllBytes(file).AsSpan(16, 8);
        return (System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header), System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(header[4..]));
    }
}
