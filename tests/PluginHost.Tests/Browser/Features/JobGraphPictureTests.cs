namespace PluginHost.Tests.Browser.Features;

/// <summary>The job page draws the job's graph, one linked node per job, coloured by state (issue 12, Job page).</summary>
public sealed class JobGraphPictureTests : BrowserTestBase
{
    [Test]
    public async Task The_page_of_a_job_in_a_graph_draws_every_job_of_the_graph_as_a_link_to_it()
    {
        var graph = await Jobs.DoneGraphAsync();

        await Page.GotoAsync($"/queue_job/jobs/{graph["Graph B"]}");
        var nodes = Page.Locator("svg#job-graph a");
        await Expect(Page.Locator("svg#job-graph")).ToBeVisibleAsync();
        var links = new List<string>();
        for (var i = 0; i < await nodes.CountAsync(); i++)
        {
            links.Add((await nodes.Nth(i).GetAttributeAsync("href"))!);
        }

        Assert.That(links, Is.EquivalentTo(graph.Values.Select(uuid => $"/queue_job/jobs/{uuid}")));
        Assert.That(await Page.Locator("svg#job-graph a .state-done").CountAsync(), Is.EqualTo(4));
        await Page.Locator($"svg#job-graph a[href='/queue_job/jobs/{graph["Graph D"]}']").ClickAsync();
        await Expect(Page).ToHaveURLAsync($"{BaseUrl}/queue_job/jobs/{graph["Graph D"]}");
    }
}
