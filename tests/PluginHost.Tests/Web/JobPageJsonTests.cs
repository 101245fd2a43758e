using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PluginHost.Tests.Support;
using static PluginHost.Tests.Web.JobPageFixtures;

namespace PluginHost.Tests.Web;

/// <summary>The job page's JSON twin and JSON actions, and who may use the job page (issue 12, items 2, 6 and 7).</summary>
public sealed class JobPageJsonTests : RunningHostTestBase
{
    private HttpClient _http = null!;

    protected override string Channels => "root:0";

    [SetUp]
    public void OpenClient() => _http = WebClient();

    [TearDown]
    public void CloseClient() => _http.Dispose();

    [Test]
    public async Task The_json_of_a_job_has_its_fields_allowed_actions_and_graph()
    {
        await WebForms.LogInAsync(_http);
        var uuids = await ChainAsync(Host, Database, "A", "B");
        await Database.ScalarAsync<object>("UPDATE queue_job SET state = 'failed', exc_name = 'E', exc_info = 'Traceback: boom' WHERE uuid = $1", uuids["A"]);

        var job = await _http.GetFromJsonAsync<JsonElement>($"/queue_job/jobs/{uuids["A"]}.json");

        Assert.That(job.GetProperty("state").GetString(), Is.EqualTo("failed"));
        Assert.That(Strings(job.GetProperty("allowed_actions")), Is.EqualTo(new[] { "requeue", "cancel", "done" }));
        Assert.That(job.GetProperty("job").GetProperty("description").GetString(), Is.EqualTo("A"));
        Assert.That(job.GetProperty("run").GetProperty("user_name").GetString(), Is.Not.Empty);
        Assert.That(job.GetProperty("arguments").GetProperty("args").ValueKind, Is.EqualTo(JsonValueKind.Array));
        Assert.That(job.GetProperty("exception").GetProperty("traceback").GetString(), Is.EqualTo("Traceback: boom"));
        var graph = job.GetProperty("graph");
        Assert.That(graph.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("uuid").GetString()), Is.EquivalentTo(uuids.Values));
        var edge = graph.GetProperty("edges").EnumerateArray().Single();
        Assert.That((edge.GetProperty("from").GetString(), edge.GetProperty("to").GetString()), Is.EqualTo((uuids["A"], uuids["B"])));
    }

    [Test]
    public async Task A_json_action_answers_the_new_state_or_400_naming_the_state_without_changing_it()
    {
        await WebForms.LogInAsync(_http);
        var failed = await JobAsync(Host, Database, "failed");
        var done = await JobAsync(Host, Database, "done");

        var requeued = await _http.PostAsync($"/queue_job/jobs/{failed}/requeue.json", null);
        var refused = await _http.PostAsync($"/queue_job/jobs/{done}/cancel.json", null);
        var unknown = await _http.PostAsync("/queue_job/jobs/no-such-job/done.json", null);

        Assert.That(requeued.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await requeued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("state").GetString(), Is.EqualTo("pending"));
        Assert.That(refused.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(),
            Is.EqualTo("Cannot cancel a job that is done: a done job allows no action."));
        Assert.That(await Database.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", done), Is.EqualTo("done"));
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await unknown.Content.ReadAsStringAsync(), Does.Contain("No job no-such-job."));
    }

    [Test]
    public async Task A_requeue_skipped_for_a_waiting_job_with_the_same_identity_key_is_400_saying_so()
    {
        await WebForms.LogInAsync(_http);
        var cancelled = await JobAsync(Host, Database, "cancelled");
        var waiting = await JobAsync(Host, Database, "pending");
        await Database.ScalarAsync<object>("UPDATE queue_job SET identity_key = 'export-42' WHERE uuid IN ($1, $2)", cancelled, waiting);

        var requeued = await _http.PostAsync($"/queue_job/jobs/{cancelled}/requeue.json", null);

        Assert.That(requeued.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await requeued.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString(),
            Is.EqualTo("Not requeued: another job with its identity key export-42 is waiting."));
        Assert.That(await Database.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", cancelled), Is.EqualTo("cancelled"));
    }

    [Test]
    public async Task A_user_outside_the_job_queue_managers_gets_403_and_changes_nothing()
    {
        var uuid = await JobAsync(Host, Database, "failed");
        await LogInAsNonManagerAsync(_http, Database);

        var page = await _http.GetAsync($"/queue_job/jobs/{uuid}");
        var json = await _http.GetAsync($"/queue_job/jobs/{uuid}.json");
        var form = await WebForms.PostAsync(_http, $"/queue_job/jobs/{uuid}/done", [], "/web");
        var action = await _http.PostAsync($"/queue_job/jobs/{uuid}/done.json", null);

        Assert.That(new[] { page.StatusCode, json.StatusCode, form.StatusCode, action.StatusCode }, Is.All.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await form.Content.ReadAsStringAsync(), Does.Not.Contain("csrf_token"), "refused for the group, not for the form's token");
        Assert.That(await Database.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", uuid), Is.EqualTo("failed"));
    }

    [Test]
    public async Task Anonymous_json_requests_get_401_and_the_page_the_login()
    {
        var uuid = await JobAsync(Host, Database, "failed");

        var json = await _http.GetAsync($"/queue_job/jobs/{uuid}.json");
        var action = await _http.PostAsync($"/queue_job/jobs/{uuid}/done.json", null);
        var page = await _http.GetAsync($"/queue_job/jobs/{uuid}");

        Assert.That(json.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(action.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(page.Headers.Location?.OriginalString, Does.Contain("/web/login"));
        Assert.That(await Database.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", uuid), Is.EqualTo("failed"));
    }

    private static IEnumerable<string?> Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString());
}
