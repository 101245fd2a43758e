namespace PluginHost.Tests.Browser;

/// <summary>The demo page's buttons work from a browser: a job is created, named in a message, with a link to it.</summary>
public sealed class DemoPageBrowserTests : BrowserTestBase
{
    [Test]
    public async Task The_demo_button_creates_a_job_named_in_a_message_with_a_link_to_it()
    {
        await Page.GotoAsync("/queue_job_demo");

        await Page.Locator("#create-job").ClickAsync();
        await Expect(Page.Locator("p.flash")).ToContainTextAsync("Job \"Confirm demo orders\" created");
        var link = await Page.Locator("a#job-link").GetAttributeAsync("href");
        var uuid = link!.Split('/')[^1];

        Assert.That(link, Is.EqualTo($"/queue_job/jobs/{uuid}"));
        Assert.That(await Database.ScalarAsync<string>("SELECT method_name FROM queue_job WHERE uuid = $1", uuid), Is.EqualTo("ConfirmAsync"));
        await Page.Locator("a#job-link").ClickAsync();
        await Expect(Page).ToHaveURLAsync($"{BaseUrl}/queue_job/jobs/{uuid}");
    }

    [Test]
    public async Task The_failing_demo_button_creates_a_job_that_fails()
    {
        await Page.GotoAsync("/queue_job_demo");

        await Page.Locator("#create-failing-job").ClickAsync();
        await Expect(Page.Locator("p.flash")).ToContainTextAsync("Job \"Demo job that fails\" created");
        var uuid = (await Page.Locator("a#job-link").InnerTextAsync()).Trim();

        await Jobs.UntilStateAsync(uuid, "failed");
    }
}
