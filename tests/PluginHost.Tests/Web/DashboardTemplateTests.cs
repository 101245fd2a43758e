using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Addons.Web;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Web;

/// <summary>The dashboard template shows names from the database (channels, nodes, hosts) as text, its chart included (issue 12, items 3 and 6).</summary>
public sealed class DashboardTemplateTests
{
    private const string Hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";

    [Test]
    public async Task Channel_node_and_configuration_names_are_escaped_everywhere()
    {
        var minutes = Enumerable.Range(0, QueueSnapshotReader.Minutes).Select(i => new QueueSnapshotMinute(new DateTime(2025, 1, 1, 10, i, 0, DateTimeKind.Utc), i % 3, i % 2)).ToList();
        var snapshot = new QueueSnapshotData(DateTime.UtcNow, [new ChannelJobCounts("root", 1, 2, 3, 4, 5), new ChannelJobCounts("root." + Hostile, 1, 0, 0, 0, 0)], minutes,
            [new LiveNode(Hostile, Hostile, 7, DateTime.UtcNow, 2, Hostile), new LiveNode("n1", "h", 8, DateTime.UtcNow, 1, "root:2")],
            new LiveRunner("n1", DateTime.UtcNow, 3, Stale: false, "root:2"));
        var templates = Path.Combine(RepoPaths.Addons, "queue_job", "templates");
        var renderer = new PageRenderer(Path.Combine(RepoPaths.Addons, "web", "templates", "layout.html"), []);

        var html = await renderer.RenderAsync(Path.Combine(templates, "dashboard.html"), DashboardModel.From(snapshot));

        Assert.That(html, Does.Not.Contain("<script>").And.Not.Contain("<img"), html);
        Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;"));
        Assert.That(html, Does.Contain("<tr data-node=\"&lt;script&gt;").And.Contain("class=\"flagged\""), "the hostile node is configured otherwise: flagged");
        Assert.That(html, Does.Contain("<svg id=\"chart\"").And.Contain("<polyline class=\"series-failed\""));
        Assert.That(html, Does.Contain("<td class=\"capacity\">2</td>").And.Contain("<td class=\"capacity\">counts against root</td>"));
    }
}
