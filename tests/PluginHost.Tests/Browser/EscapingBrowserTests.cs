namespace PluginHost.Tests.Browser;

/// <summary>Untrusted text in a job (its description, arguments, error) is shown as text: no markup, no script (issue 12).</summary>
public sealed class EscapingBrowserTests : BrowserTestBase
{
    private const string Script = "<script>alert(1)</script>";

    private const string Image = "\"><img src=x onerror=alert(2)>";

    private const string Payload = Script + " " + Image;

    private string _uuid = null!;

    [SetUp]
    public async Task MakeAHostileJobAsync() => _uuid = await Jobs.FailedAsync(Payload, Payload);

    [Test]
    public async Task The_jobs_list_shows_a_hostile_description_and_error_as_text()
    {
        await Page.GotoAsync("/queue_job/jobs");
        var row = Page.Locator($"tr[data-uuid='{_uuid}']");

        Assert.That(await row.InnerTextAsync(), Does.Contain(Script).And.Contain(Image));
        await AssertNoInjectedMarkupAsync();
    }

    [Test]
    public async Task The_job_page_shows_a_hostile_description_argument_and_error_as_text()
    {
        await Page.GotoAsync($"/queue_job/jobs/{_uuid}");
        var text = await Page.Locator("main").InnerTextAsync();

        Assert.That(text, Does.Contain(Payload), "the description");
        Assert.That(text, Does.Contain($"InvalidOperationException: {Payload}"), "the error");
        Assert.That(await Page.Locator("main").InnerHTMLAsync(), Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;"));
        await AssertNoInjectedMarkupAsync();
    }

    /// <summary>No element the payload would have made exists, and no dialog opened.</summary>
    private async Task AssertNoInjectedMarkupAsync()
    {
        // The pages' own script is a file of this server (live.js); the payload's would be inline.
        Assert.That(await Page.Locator("main script:not([src^='/queue_job/static/']), img[src=x]").CountAsync(), Is.Zero);
        Assert.That(Dialogs, Is.Empty);
    }
}
