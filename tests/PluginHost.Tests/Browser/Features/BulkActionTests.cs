namespace PluginHost.Tests.Browser.Features;

/// <summary>Selected rows of the Jobs list are acted on together, after a confirmation, with a result message (issue 12, Jobs list).</summary>
public sealed class BulkActionTests : BrowserTestBase
{
    [Test]
    public async Task Pending_jobs_selected_on_the_list_are_cancelled_after_a_confirmation()
    {
        var pending = await Jobs.PendingAsync(3);
        var kept = (await Jobs.PendingAsync(1))[0];

        await Page.GotoAsync("/queue_job/jobs");
        await Page.Locator("a.state-tab[data-state=pending]").ClickAsync();
        foreach (var uuid in pending)
        {
            await Page.Locator($"tr[data-uuid='{uuid}'] input[type=checkbox][name=ids]").CheckAsync();
        }

        await Page.Locator("form#bulk button[name=action][value=cancel]").ClickAsync();
        await Page.Locator("button#confirm").ClickAsync();

        await Expect(Page.Locator("p.flash")).ToContainTextAsync("3 cancelled");
        Assert.That(new Uri(Page.Url).AbsolutePath, Is.EqualTo("/queue_job/jobs"));
        Assert.That(await Database.ColumnAsync<string>("SELECT state FROM queue_job WHERE uuid = ANY($1)", (object)pending.ToArray()),
            Is.EqualTo(new[] { "cancelled", "cancelled", "cancelled" }));
        Assert.That(await Database.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", kept), Is.EqualTo("pending"));
    }
}
