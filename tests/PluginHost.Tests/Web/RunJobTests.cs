using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Hosting;
using PluginHost.Addons.QueueJob;
using PluginHost.Host.Configuration;
using PluginHost.Host.Hosting;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Web;

/// <summary><c>/queue_job/runjob</c>: Odoo's HTTP hand-over of an enqueued job, behind basic authentication.</summary>
public sealed class RunJobTests : DatabaseTestBase
{
    [Test]
    public async Task An_enqueued_job_runs_when_asked_with_the_shared_credentials()
    {
        var options = Options();
        await using var host = await StartAsync(options, new() { ["queue_job:http_auth_user"] = "runner", ["queue_job:http_auth_password"] = "s3cret" });
        var uuid = await EnqueuedJobAsync(host);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{options.HttpInterface}:{options.HttpPort}") };

        var anonymous = await http.GetAsync($"/queue_job/runjob?db={Database.Name}&job_uuid={uuid}");
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("runner:s3cret")));
        var otherDatabase = await http.GetAsync($"/queue_job/runjob?db=elsewhere&job_uuid={uuid}");
        var stateBefore = await Database.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", uuid);
        var run = await http.GetAsync($"/queue_job/runjob?db={Database.Name}&job_uuid={uuid}");
        var again = await http.GetAsync($"/queue_job/runjob?db={Database.Name}&job_uuid={uuid}");

        Assert.That((anonymous.StatusCode, otherDatabase.StatusCode, stateBefore), Is.EqualTo((HttpStatusCode.Unauthorized, HttpStatusCode.NotFound, "enqueued")));
        Assert.That((run.StatusCode, again.StatusCode), Is.EqualTo((HttpStatusCode.OK, HttpStatusCode.OK)));
        Assert.That(await Database.ScalarAsync<string>("SELECT state || ' ' || retry FROM queue_job WHERE uuid = $1", uuid), Is.EqualTo("done 1"));
    }

    [Test]
    public async Task Without_credentials_configured_runjob_is_off()
    {
        var options = Options();
        await using var host = await StartAsync(options, []);
        var uuid = await EnqueuedJobAsync(host);
        using var http = new HttpClient { BaseAddress = new Uri($"http://{options.HttpInterface}:{options.HttpPort}") };

        var response = await http.GetAsync($"/queue_job/runjob?db={Database.Name}&job_uuid={uuid}");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await Database.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", uuid), Is.EqualTo("enqueued"));
    }

    // Only web is server-wide: no runner and no executors here, so runjob is the one way a job runs.
    private ServerOptions Options() => Database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with { ServerWideModules = ["web"], Init = ["test_queue_job"] };

    private static async Task<BootedHost> StartAsync(ServerOptions options, Dictionary<string, string?> configuration)
    {
        var host = await TestHost.BootAsync(options, configuration);
        await host.Host.StartAsync();
        return host;
    }

    private static async Task<string> EnqueuedJobAsync(BootedHost host)
    {
        await using var env = await host.Database.BeginAsync();
        var uuid = (await env.Model<TestQueueJobModel>().WithDelay().EnqueueAsync(x => x.AppendNoteAsync("over http"))).Uuid;
        await env.ExecuteAsync("UPDATE queue_job SET state = 'enqueued', date_enqueued = now() WHERE uuid = $1", uuid);
        await env.CommitAsync();
        return uuid;
    }
}
