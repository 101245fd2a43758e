namespace PluginHost.Tests.Browser.Features;

/// <summary>The job page opens the record the job was about (issue 12, Job page).</summary>
public sealed class RelatedRecordTests : BrowserTestBase
{
    [Test]
    public async Task The_related_link_of_a_job_opens_its_record()
    {
        var uuid = await Jobs.DoneOnRecordAsync("The related record");

        await Page.GotoAsync($"/queue_job/jobs/{uuid}");
        await Page.Locator("a#related").ClickAsync();

        await Expect(Page).ToHaveURLAsync($"{BaseUrl}/web/record/test.queue.job/1");
        await Expect(Page.Locator("main")).ToContainTextAsync("The related record");
    }
}
