using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using PluginHost.Tests.Support;
using static PluginHost.Tests.Web.JobPageFixtures;

namespace PluginHost.Tests.Web;

/// <summary>The job page: grouped human fields, buttons where the state allows them, actions with messages, the graph (issue 12, item 2).</summary>
public sealed partial class JobPageTests : RunningHostTestBase
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private HttpClient _http = null!;

    protected override string Channels => "root:0";

    [SetUp]
    public async Task LogInAsync()
    {
        _http = WebClient();
        await WebForms.LogInAsync(_http);
    }

    [TearDown]
    public void CloseClient() => _http.Dispose();

    [Test]
    public async Task A_failed_job_shows_its_traceback_and_only_the_buttons_its_state_allows()
    {
        var failed = await JobAsync(Host, Database, "failed", traceback: "Traceback (most recent call last):\n  at AppendNoteAsync\nInvalidOperationException: boom");
        var done = await JobAsync(Host, Database, "done");
        var pending = await JobAsync(Host, Database, "pending");

        var failedPage = await _http.GetStringAsync($"/queue_job/jobs/{failed}");

        Assert.That(failedPage, Does.Contain("<pre id=\"traceback\">Traceback (most recent call last):\n  at AppendNoteAsync\nInvalidOperationException: boom</pre>"));
        Assert.That(failedPage, Does.Contain("<span id=\"state\" class=\"state state-failed\">failed</span>"));
        Assert.That(Buttons(failedPage), Is.EqualTo(new[] { "requeue", "cancel", "set-done" }));
        Assert.That(Buttons(await _http.GetStringAsync($"/queue_job/jobs/{done}")), Is.Empty, "a done job allows no action");
        Assert.That(Buttons(await _http.GetStringAsync($"/queue_job/jobs/{pending}")), Is.EqualTo(new[] { "cancel", "set-done" }));
    }

    [Test]
    public async Task Requeueing_a_failed_job_says_so_on_its_page_and_makes_it_pending()
    {
        var uuid = await JobAsync(Host, Database, "failed");

        var page = await FollowAsync(_http, await WebForms.PostAsync(_http, $"/queue_job/jobs/{uuid}/requeue", [], $"/queue_job/jobs/{uuid}"));

        Assert.That(Flashes(page), Is.EqualTo(new[] { "Job requeued" }));
        Assert.That(page, Does.Contain("<span id=\"state\" class=\"state state-pending\">pending</span>"));
        Assert.That(await Database.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", uuid), Is.EqualTo("pending"));
    }

    [Test]
    public async Task An_action_the_state_does_not_allow_flashes_an_error_naming_the_state_and_changes_nothing()
    {
        var uuid = await JobAsync(Host, Database, "done");
        var before = await RowAsync(uuid);

        var cancel = await WebForms.PostAsync(_http, $"/queue_job/jobs/{uuid}/cancel", [], $"/queue_job/jobs/{uuid}");
        Assert.That(cancel.Headers.Location?.ToString(), Is.EqualTo($"/queue_job/jobs/{uuid}"));
        var afterCancel = await FollowAsync(_http, cancel);
        var unknown = await FollowAsync(_http, await WebForms.PostAsync(_http, $"/queue_job/jobs/{uuid}/explode", [], $"/queue_job/jobs/{uuid}"));

        Assert.That(Flashes(afterCancel), Is.EqualTo(new[] { "Cannot cancel a job that is done: a done job allows no action. (error)" }));
        Assert.That(Flashes(unknown), Is.EqualTo(new[] { "Unknown action 'explode' (expected requeue, cancel, done): a done job allows no action. (error)" }));
        Assert.That(await RowAsync(uuid), Is.EqualTo(before));
    }

    [Test]
    public async Task A_requeue_of_a_pending_job_names_the_actions_its_state_allows()
    {
        var uuid = await JobAsync(Host, Database, "pending");

        var page = await FollowAsync(_http, await WebForms.PostAsync(_http, $"/queue_job/jobs/{uuid}/requeue", [], $"/queue_job/jobs/{uuid}"));

        Assert.That(Flashes(page), Is.EqualTo(new[] { "Cannot requeue a job that is pending: a pending job allows cancel, done. (error)" }));
    }

    [Test]
    public async Task An_unknown_job_is_404_naming_it()
    {
        var page = await _http.GetAsync("/queue_job/jobs/no-such-job");
        var action = await WebForms.PostAsync(_http, "/queue_job/jobs/no-such-job/requeue", [], "/queue_job/jobs");

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await page.Content.ReadAsStringAsync(), Does.Contain("No job no-such-job."));
        Assert.That(action.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [Test]
    public async Task The_user_is_shown_by_name_and_the_run_with_days_and_durations()
    {
        var uuid = await JobAsync(Host, Database, "done");
        var uid = await Database.ScalarAsync<long>("INSERT INTO res_users (login, name, active) VALUES ('ada', 'Ada Lovelace', true) RETURNING id");
        await Database.ScalarAsync<object>("""
            UPDATE queue_job
            SET user_id = $2, date_created = '2024-05-03 12:00:00Z', date_enqueued = '2024-05-03 12:00:00.5Z',
                date_started = '2024-05-03 12:00:01Z', date_done = '2024-05-03 12:02:06Z', exec_time = 125, worker_node = 'node-7', worker_pid = 4242
            WHERE uuid = $1
            """, uuid, uid);

        var page = await _http.GetStringAsync($"/queue_job/jobs/{uuid}");

        Assert.That(page, Does.Contain("<th>User</th><td>Ada Lovelace</td>"));
        Assert.That(page, Does.Not.Contain("user_id"));
        Assert.That(page, Does.Contain("Fri 2024-05-03 12:00:00 UTC"));
        Assert.That(page, Does.Contain("0.500 s after created").And.Contain("0.500 s after enqueued").And.Contain("2 min 5 s after started"));
        Assert.That(page, Does.Contain("node-7, pid 4242"));
        Assert.That(page, Does.Contain("<a id=\"related\" href=\"/queue_job/jobs/" + uuid + "/related\">"), "the function's related action opens the record");
    }

    [Test]
    public async Task A_graph_of_three_jobs_draws_three_linked_nodes_left_to_right_with_their_state_classes()
    {
        var uuids = await ChainAsync(Host, Database, "A", "B", "C");
        await Database.ScalarAsync<object>("UPDATE queue_job SET state = 'done' WHERE uuid = $1", uuids["A"]);

        var svg = GraphOf(await _http.GetStringAsync($"/queue_job/jobs/{uuids["B"]}"));

        var nodes = svg.Descendants(Svg + "a").ToDictionary(a => (string)a.Attribute("href")!, a => a.Element(Svg + "rect")!);
        Assert.That(nodes.Keys, Is.EquivalentTo(uuids.Values.Select(u => $"/queue_job/jobs/{u}")));
        Assert.That(uuids.Select(p => (p.Key, (string?)nodes[$"/queue_job/jobs/{p.Value}"].Attribute("class"))),
            Is.EqualTo(new[] { ("A", "state-done"), ("B", "state-wait_dependencies"), ("C", "state-wait_dependencies") }));
        Assert.That(uuids.Values.Select(u => (int)nodes[$"/queue_job/jobs/{u}"].Attribute("x")!), Is.Ordered.Ascending.And.Unique, "one layer per step of the chain");
        var edges = svg.Descendants(Svg + "path").Where(p => (string?)p.Attribute("class") == "edge").ToList();
        Assert.That(edges, Has.Count.EqualTo(2));
        Assert.That(edges.Select(e => (string?)e.Attribute("marker-end")), Is.All.EqualTo("url(#job-graph-arrow)"));
    }

    [Test]
    public async Task A_hostile_description_and_exception_are_shown_as_text_on_the_page_and_in_the_graph()
    {
        var uuids = await ChainAsync(Host, Database, Hostile, "after");
        await Database.ScalarAsync<object>("UPDATE queue_job SET state = 'failed', exc_name = $2, exc_message = $2, exc_info = $2, result = $2 WHERE uuid = $1",
            uuids[Hostile], Hostile);

        var page = await _http.GetStringAsync($"/queue_job/jobs/{uuids[Hostile]}");

        Assert.That(page, Does.Not.Contain("<script>alert").And.Not.Contain("<img src=x"));
        Assert.That(page, Does.Contain("<pre id=\"traceback\">&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;</pre>"));
        Assert.That(page, Does.Contain("<h1>&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;</h1>"));
        var node = GraphOf(page).Descendants(Svg + "a").Single(a => (string?)a.Attribute("href") == $"/queue_job/jobs/{uuids[Hostile]}");
        Assert.That(node.Element(Svg + "title")!.Value, Is.EqualTo(Hostile + " (failed)"), "the graph writes the description as text");
    }

    /// <summary>The page's <c>svg#job-graph</c>, parsed: it must be well-formed, which unescaped text would break.</summary>
    private static XElement GraphOf(string page)
    {
        var match = GraphSvg().Match(page);
        Assert.That(match.Success, "the page draws svg#job-graph");
        return XElement.Parse(match.Value);
    }

    private Task<string?> RowAsync(string uuid) => Database.ScalarAsync<string>("SELECT row_to_json(j)::text FROM queue_job j WHERE uuid = $1", uuid);

    [GeneratedRegex("<svg id=\"job-graph\".*?</svg>", RegexOptions.Singleline)]
    private static partial Regex GraphSvg();
}
