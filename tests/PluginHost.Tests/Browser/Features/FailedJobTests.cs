namespace PluginHost.Tests.Browser.Features;

/// <summary>
/// The operator's round trip: find the failed job among many done ones with the failed tab, read its traceback,
/// requeue it, see it done (issue 12, Jobs list and Job page).
/// </summary>
public sealed class FailedJobTests : BrowserTestBase
{
    /// <summary>More done jobs than any page lists, all newer than the failed one.</summary>
    private const int DoneJobs = 1_200;

    [Test]
    public async Task A_failed_job_is_found_with_the_failed_tab_among_many_done_jobs_read_requeued_and_done()
    {
        var failed = await Jobs.FailingUntilToldAsync("The job that failed");
        await Jobs.InsertDoneAsync(DoneJobs, TimeSpan.Zero);

        await Page.GotoAsync("/queue_job/jobs");
        Assert.That(await Page.Locator($"tr[data-uuid='{failed}']").CountAsync(), Is.Zero, "the newest jobs hide it");
        var failedTab = Page.Locator("a.state-tab[data-state=failed]");
        Assert.That(await failedTab.Locator(".count").InnerTextAsync(), Is.EqualTo("1"));
        await failedTab.ClickAsync();
        await Page.Locator($"tr[data-uuid='{failed}'] a.job-link").ClickAsync();

        await Expect(Page.Locator("span#state")).ToHaveTextAsync("failed");
        await Expect(Page.Locator("pre#traceback")).ToContainTextAsync("The job that failed was told to fail");
        await Expect(Page.Locator("pre#traceback")).ToContainTextAsync("FailWhenNotedAsync");
        Assert.That(await Page.Locator("button#set-done").CountAsync(), Is.EqualTo(1), "a failed job may be set done");
        await Jobs.LetSucceedAsync(failed);
        await Page.Locator("button#requeue").ClickAsync();

        await Expect(Page.Locator("span#state")).ToHaveTextAsync("done", new() { Timeout = WaitMilliseconds });
        Assert.That(await Page.Locator("button#requeue").CountAsync(), Is.Zero, "a done job has no requeue button");
        Assert.That(await Database.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", failed), Is.EqualTo("done"));
    }
}
