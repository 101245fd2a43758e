using System.Net;
using System.Text.Json;
using PluginHost.Sdk;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Web;

/// <summary><c>/queue_job/live.json</c>, which the console's pages poll (issue 12, item 5): for Job Queue managers only.</summary>
public sealed class LiveJsonTests : RunningHostTestBase
{
    protected override string Channels => "root:0";

    [Test]
    public async Task The_version_changes_once_a_job_changes_state()
    {
        await Database.ScalarAsync<object>("INSERT INTO queue_job (uuid, model_name, method_name, state) VALUES ('live-1', 'test.queue.job', 'Noop', 'pending')");
        using var http = WebClient();
        await WebForms.LogInAsync(http);
        var before = await VersionAsync(http);

        await Database.ScalarAsync<object>("UPDATE queue_job SET state = 'failed' WHERE uuid = 'live-1'");

        Assert.That(await Eventually.UntilAsync(async () => await VersionAsync(http) != before, seconds: 30, pollMilliseconds: 500), Is.True,
            "the version changed within the refresh interval");
    }

    [Test]
    public async Task Anonymous_requests_get_401_and_users_outside_the_managers_403()
    {
        using var anonymous = WebClient();
        using var clerk = WebClient();
        await Database.ScalarAsync<object>("INSERT INTO res_users (login, name, password) VALUES ('clerk', 'Clerk', $1)", UserPassword.Hash("clerk"));
        await WebForms.LogInAsync(clerk, "clerk", "clerk");

        var statuses = (await anonymous.GetAsync("/queue_job/live.json")).StatusCode;
        var clerkStatuses = await Task.WhenAll(new[] { "/queue_job/live.json", "/queue_job/dashboard", "/queue_job/channels", "/queue_job/functions" }
            .Select(async path => (await clerk.GetAsync(path)).StatusCode));

        Assert.That(statuses, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(clerkStatuses, Is.All.EqualTo(HttpStatusCode.Forbidden));
    }

    private static async Task<string> VersionAsync(HttpClient http)
    {
        var response = await http.GetAsync("/queue_job/live.json");
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("version").GetString()!;
    }
}
