using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Web;

/// <summary>Bulk requeue, set done and cancel from the Jobs list (issue 12): a confirmation, one transaction, a message counting what was skipped.</summary>
public sealed class JobBulkPagesTests : RunningHostTestBase
{
    private const string Back = "/queue_job/jobs?state=failed";

    protected override string Channels => "root:0";

    [Test]
    public async Task Bulk_requeue_asks_for_a_confirmation_then_requeues_and_says_what_it_skipped()
    {
        await JobListJobs.AddAsync(Database, "failed", 3, "failed");
        await JobListJobs.AddAsync(Database, "running", 1, "started");
        using var http = await ManagerAsync();
        var ids = await IdsAsync("failed-1", "failed-2", "failed-3", "running-1");

        var confirmation = await PostAsync(http, "requeue", [.. ids, "999999"], confirmed: false);
        var stillFailed = await JobListJobs.StateAsync(Database, "failed-1");
        var done = await PostAsync(http, "requeue", [.. ids, "999999"], confirmed: true);
        var list = await http.GetStringAsync(done.Headers.Location!.ToString());

        Assert.That(await confirmation.Content.ReadAsStringAsync(), Does.Contain("id=\"confirm\"").And.Contain("Requeue 5 jobs?")
            .And.Contain("3 requeued, 2 skipped: 1 not found, 1 running"));
        Assert.That(stillFailed, Is.EqualTo("failed"), "nothing changes before the confirmation");
        Assert.That(done.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(done.Headers.Location!.ToString(), Is.EqualTo(Back));
        Assert.That(list, Does.Contain("3 requeued, 2 skipped: 1 not found, 1 running"));
        Assert.That(await JobListJobs.StateAsync(Database, "failed-2"), Is.EqualTo("pending"));
        Assert.That(await JobListJobs.StateAsync(Database, "running-1"), Is.EqualTo("started"));
    }

    [Test]
    public async Task Bulk_cancel_cancels_the_waiting_jobs_and_skips_the_done_ones()
    {
        await JobListJobs.AddAsync(Database, "pending", 4, "pending");
        await JobListJobs.AddAsync(Database, "done", 2);
        using var http = await ManagerAsync();

        var response = await PostAsync(http, "cancel", await IdsAsync("pending-1", "pending-2", "pending-3", "pending-4", "done-1", "done-2"), confirmed: true);

        Assert.That(await http.GetStringAsync(response.Headers.Location!.ToString()), Does.Contain("4 cancelled, 2 skipped: done"));
        Assert.That(await JobListJobs.StateAsync(Database, "pending-4"), Is.EqualTo("cancelled"));
        Assert.That(await JobListJobs.StateAsync(Database, "done-1"), Is.EqualTo("done"));
    }

    [Test]
    public async Task Bulk_set_done_skips_running_jobs()
    {
        await JobListJobs.AddAsync(Database, "failed", 2, "failed");
        await JobListJobs.AddAsync(Database, "running", 1, "started");
        using var http = await ManagerAsync();

        var response = await PostAsync(http, "done", await IdsAsync("failed-1", "failed-2", "running-1"), confirmed: true);

        Assert.That(await http.GetStringAsync(response.Headers.Location!.ToString()), Does.Contain("2 set to done, 1 skipped: running"));
        Assert.That(await JobListJobs.StateAsync(Database, "failed-1"), Is.EqualTo("done"));
    }

    [Test]
    public async Task A_bulk_form_goes_back_only_to_the_jobs_list_and_refuses_a_bad_action()
    {
        await JobListJobs.AddAsync(Database, "failed", 1, "failed");
        using var http = await ManagerAsync();
        var id = await IdsAsync("failed-1");

        var elsewhere = await WebForms.PostAsync(http, "/queue_job/jobs/bulk",
            [new("action", "cancel"), new("ids", id[0]), new("confirmed", "1"), new("back", "//evil.example/queue_job/jobs")], "/queue_job/jobs");
        var badAction = await WebForms.PostAsync(http, "/queue_job/jobs/bulk", [new("action", "explode"), new("ids", id[0])], "/queue_job/jobs");
        var noIds = await WebForms.PostAsync(http, "/queue_job/jobs/bulk", [new("action", "cancel")], "/queue_job/jobs");

        Assert.That(elsewhere.Headers.Location!.ToString(), Is.EqualTo("/queue_job/jobs"));
        Assert.That(badAction.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await badAction.Content.ReadAsStringAsync(), Does.StartWith("action: expected requeue, done or cancel"));
        Assert.That(noIds.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await noIds.Content.ReadAsStringAsync(), Does.StartWith("ids: expected at least one selected job"));
    }

    [Test]
    public async Task Bulk_json_acts_at_once_and_lists_the_skipped_jobs_with_their_reason()
    {
        await JobListJobs.AddAsync(Database, "failed", 2, "failed");
        await JobListJobs.AddAsync(Database, "running", 1, "started");
        using var http = await ManagerAsync();
        var ids = (await IdsAsync("failed-1", "failed-2", "running-1")).Select(long.Parse).Append(999999).ToArray();

        var response = await http.PostAsJsonAsync("/queue_job/jobs/bulk.json", new { action = "cancel", ids });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var bad = await http.PostAsJsonAsync("/queue_job/jobs/bulk.json", new { action = "cancel", ids = "all" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body.GetProperty("done").GetInt32(), Is.EqualTo(2));
        Assert.That(body.GetProperty("skipped").EnumerateArray().Select(s => (s.GetProperty("id").GetInt64(), s.GetProperty("reason").GetString())),
            Is.EquivalentTo(new[] { (ids[2], "running"), (999999L, "not found") }));
        Assert.That(await JobListJobs.StateAsync(Database, "failed-2"), Is.EqualTo("cancelled"));
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("parameter").GetString(), Is.EqualTo("ids"));
    }

    private async Task<HttpClient> ManagerAsync()
    {
        var http = WebClient();
        await WebForms.LogInAsync(http);
        return http;
    }

    private async Task<string[]> IdsAsync(params string[] uuids)
    {
        var ids = new List<string>();
        foreach (var uuid in uuids)
        {
            ids.Add((await JobListJobs.IdAsync(Database, uuid)).ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return ids.ToArray();
    }

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string action, string[] ids, bool confirmed) =>
        WebForms.PostAsync(http, "/queue_job/jobs/bulk",
            [new("action", action), new("back", Back), .. ids.Select(id => KeyValuePair.Create("ids", id)), .. confirmed ? [KeyValuePair.Create("confirmed", "1")] : Array.Empty<KeyValuePair<string, string>>()],
            "/queue_job/jobs");
}
