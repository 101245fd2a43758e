using Microsoft.Playwright;

namespace PluginHost.Tests.Browser.Features;

/// <summary>The Jobs list updates by itself: jobs created meanwhile appear and turn done or failed without a reload (issue 12, Live).</summary>
public sealed class LiveJobListTests : BrowserTestBase
{
    [Test]
    public async Task Demo_jobs_created_from_the_demo_page_appear_and_finish_on_the_open_jobs_list_without_reloading()
    {
        await Page.GotoAsync("/queue_job/jobs");
        var navigations = 0;
        Page.FrameNavigated += (_, frame) => navigations += frame == Page.MainFrame ? 1 : 0;
        var demo = await Page.Context.NewPageAsync();

        var first = await CreateFromDemoPageAsync(demo, "#create-job");
        var second = await CreateFromDemoPageAsync(demo, "#create-job");
        var failing = await CreateFromDemoPageAsync(demo, "#create-failing-job");
        // A tab in the background does not poll (live.js waits until it is visible again).
        await Page.BringToFrontAsync();

        await Expect(StateOf(first)).ToHaveTextAsync("done", new() { Timeout = WaitMilliseconds });
        await Expect(StateOf(second)).ToHaveTextAsync("done", new() { Timeout = WaitMilliseconds });
        await Expect(StateOf(failing)).ToHaveTextAsync("failed", new() { Timeout = WaitMilliseconds });
        Assert.That(navigations, Is.Zero, "the list was never reloaded");
    }

    /// <summary>The state shown in the job's row of the list.</summary>
    private ILocator StateOf(string uuid) => Page.Locator($"table#jobs tr[data-uuid='{uuid}'] .state");

    /// <summary>Clicks a button of the demo page; the uuid of the job it created, from the page's link to it.</summary>
    private static async Task<string> CreateFromDemoPageAsync(IPage demo, string button)
    {
        await demo.GotoAsync("/queue_job_demo");
        await demo.Locator(button).ClickAsync();
        return (await demo.Locator("a#job-link").InnerTextAsync()).Trim();
    }
}
