using System.Xml.Linq;
using PluginHost.Addons.QueueJob.Internal;
using static PluginHost.Tests.Web.JobPageFixtures;

namespace PluginHost.Tests.Web;

/// <summary>The job graph's layered layout and its SVG, which escapes every text it writes (issue 12, item 2).</summary>
public sealed class JobGraphSvgTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Test]
    public void Each_job_sits_in_the_column_of_its_longest_chain_of_parents()
    {
        // A, then B and C, then D after both; E after A and D (its longest chain goes through D).
        var nodes = JobGraphLayout.Arrange(Jobs("A", "B", "C", "D", "E"), Edges("A>B", "A>C", "B>D", "C>D", "A>E", "D>E"));

        Assert.That(nodes.Select(n => $"{n.Uuid}:{n.Depth}.{n.Row}"), Is.EqualTo(new[] { "A:0.0", "B:1.0", "C:1.1", "D:2.0", "E:3.0" }));
    }

    [Test]
    public void A_column_follows_the_rows_of_the_parents_so_edges_do_not_cross()
    {
        // Two chains side by side, the second one's child stored first: it goes in the row of its parent.
        var nodes = JobGraphLayout.Arrange(Jobs("A", "B", "D", "C"), Edges("A>C", "B>D"));

        Assert.That(nodes.Select(n => $"{n.Uuid}:{n.Depth}.{n.Row}"), Is.EqualTo(new[] { "A:0.0", "B:0.1", "D:1.1", "C:1.0" }));
    }

    [Test]
    public void The_drawing_links_every_job_and_writes_hostile_names_and_states_as_text()
    {
        var jobs = new List<(string, string?, string)> { ("u1", Hostile, "failed\"><script>"), ("u2\"><x", "B & C", "pending") };
        var edges = Edges("u1>u2\"><x");
        var graph = new JobGraphData(2, JobGraphLayout.Arrange(jobs, edges), edges);

        var markup = JobGraphSvg.Draw(graph, "u1");
        var svg = XElement.Parse(markup);

        Assert.That(markup, Does.Not.Contain("<script").And.Not.Contain("<img").And.Not.Contain("<x"));
        Assert.That(svg.Descendants(Svg + "a").Select(a => (string?)a.Attribute("href")), Is.EqualTo(new[] { "/queue_job/jobs/u1", "/queue_job/jobs/u2%22%3E%3Cx" }));
        Assert.That(svg.Descendants(Svg + "title").Select(t => t.Value), Is.EqualTo(new[] { Hostile + " (failed\"><script>)", "B & C (pending)" }));
        Assert.That(svg.Descendants(Svg + "rect").Select(r => (string?)r.Attribute("class")), Is.EqualTo(new[] { "state-failed\"><script>", "state-pending" }));
        Assert.That(svg.Descendants(Svg + "a").First().Attribute("class")?.Value, Is.EqualTo("current"));
    }

    private static List<(string Uuid, string? Name, string State)> Jobs(params string[] uuids) => uuids.Select(u => (u, (string?)u, "pending")).ToList();

    private static List<JobGraphEdge> Edges(params string[] arrows) =>
        arrows.Select(a => a.Split('>', 2)).Select(p => new JobGraphEdge(p[0], p[1])).ToList();
}
