using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PluginHost.Sdk;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Web;

/// <summary>
/// The Job Queue dashboard (issue 12, item 3): each channel with its jobs and its capacity in the active runner's
/// configuration, the runner, the live nodes (flagged when configured otherwise than the runner) and the chart.
/// </summary>
public sealed partial class DashboardPageTests : RunningHostTestBase
{
    protected override string Channels => "root:3,sub:1";

    [Test]
    public async Task Lists_channels_with_capacity_the_runner_and_the_nodes_flagging_one_configured_otherwise()
    {
        var node = Host.Host.Services.GetRequiredService<HostSettings>().NodeId;
        await Database.ScalarAsync<object>("""
            INSERT INTO queue_job (uuid, model_name, method_name, state, channel, eta, date_started, date_done, exec_time) VALUES
            ('d-1', 'test.queue.job', 'Noop', 'pending', 'root.sub', now() + interval '1 day', NULL, NULL, NULL),
            ('d-2', 'test.queue.job', 'Noop', 'failed', 'root.sub', NULL, now() - interval '1 second', NULL, 0.2),
            ('d-3', 'test.queue.job', 'Noop', 'done', 'root', NULL, now(), now(), 0.1)
            """);
        await Database.ScalarAsync<object>("INSERT INTO queue_job_node (id, host, pid, channels) VALUES ('other-node', 'elsewhere', 42, 'root:8')");
        using var http = WebClient();
        await WebForms.LogInAsync(http);

        var html = "";
        var complete = await Eventually.UntilAsync(async () =>
        {
            html = await http.GetStringAsync("/queue_job/dashboard");
            return html.Contains($"<code class=\"node\">{node}</code>", StringComparison.Ordinal) && html.Contains("other-node", StringComparison.Ordinal)
                && Row(html, "data-channel=\"root.sub\"").Contains("class=\"failed\"><a", StringComparison.Ordinal);
        }, seconds: 30, pollMilliseconds: 500);

        Assert.That(complete, Is.True, html);
        var root = Row(html, "data-channel=\"root\"");
        var sub = Row(html, "data-channel=\"root.sub\"");
        Assert.That((Cell(root, "capacity"), Cell(root, "done")), Is.EqualTo(("3", "1")), root);
        Assert.That((Cell(sub, "capacity"), Cell(sub, "pending")), Is.EqualTo(("1", "1")), sub);
        Assert.That(root, Does.Contain("href=\"/queue_job/jobs?channel=root\""));
        Assert.That(Row(html, $"data-node=\"{node}\""), Does.Contain("same as the runner&#39;s").Or.Contain("same as the runner's"));
        Assert.That(Row(html, "data-node=\"other-node\""), Does.Contain("class=\"flagged\"").And.Contain("differs from the runner"));
        Assert.That(html, Does.Contain("<svg id=\"chart\"").And.Contain("<polyline class=\"series-done\""));
        Assert.That(html, Does.Contain("<div id=\"live\" data-version=").And.Contain("<script src=\"/queue_job/static/live.js\" defer></script>"));
    }

    [Test]
    public async Task The_live_script_is_served_as_javascript_to_anyone()
    {
        using var http = WebClient();

        var response = await http.GetAsync("/queue_job/static/live.js");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Content.Headers.ContentType?.MediaType, Is.EqualTo("text/javascript").Or.EqualTo("application/javascript"));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("/queue_job/live.json"));
    }

    /// <summary>The table row whose opening tag carries <paramref name="attribute"/>.</summary>
    private static string Row(string html, string attribute)
    {
        var match = Regex.Match(html, $"<tr {Regex.Escape(attribute)}[^>]*>(.*?)</tr>", RegexOptions.Singleline);
        return match.Success ? match.Value : throw new AssertionException($"no row {attribute} in:\n{html}");
    }

    private static string Cell(string row, string name) => CellText().Match(row[row.IndexOf($"class=\"{name}\"", StringComparison.Ordinal)..]).Groups[1].Value.Trim();

    [GeneratedRegex(">([^<]*)<")]
    private static partial Regex CellText();
}
