using System.Net;
using System.Text;
using Microsoft.Extensions.Hosting;
using PluginHost.Addons.QueueJob;
using PluginHost.Host.Hosting;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Web;

/// <summary>Bad HTTP input gets a status and a message saying what was wrong, never an empty 500 (issue 9, item 4).</summary>
public sealed class WebInputTests : DatabaseTestBase
{
    private BootedHost _host = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        var options = Database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with { ServerWideModules = ["web", "queue_job"], Init = ["test_queue_job"] };
        _host = await TestHost.BootAsync(options, new Dictionary<string, string?> { ["queue_job:channels"] = "root:0" });
        await _host.Host.StartAsync();
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = new Uri($"http://{options.HttpInterface}:{options.HttpPort}"),
        };
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Test]
    public async Task A_login_that_is_not_a_form_is_400_saying_a_form_is_expected()
    {
        var response = await _http.PostAsync("/web/login", new StringContent("{\"login\": \"admin\"}", Encoding.UTF8, "application/json"));

        await AssertAnswerAsync(response, HttpStatusCode.BadRequest, "expects a form");
    }

    [Test]
    public async Task A_login_form_with_many_fields_is_400_and_a_large_one_413()
    {
        var many = await WebForms.PostAsync(_http, "/web/login", Enumerable.Range(0, 100).Select(i => KeyValuePair.Create($"f{i}", "x")));
        var large = await WebForms.PostAsync(_http, "/web/login", new Dictionary<string, string> { ["login"] = new string('a', 100_000), ["password"] = "x" });

        await AssertAnswerAsync(many, HttpStatusCode.BadRequest, "count limit");
        await AssertAnswerAsync(large, HttpStatusCode.RequestEntityTooLarge, "larger than 16 KB");
    }

    [Test]
    public async Task The_related_action_of_an_unknown_job_is_404_naming_it()
    {
        await LogInAsync();

        await AssertAnswerAsync(await _http.GetAsync("/queue_job/jobs/no-such-uuid/related"), HttpStatusCode.NotFound, "No job no-such-uuid");
    }

    [Test]
    public async Task The_related_action_of_a_job_whose_model_is_gone_is_404_naming_the_model()
    {
        var job = await EnqueueAsync();
        await Database.ScalarAsync<object>("UPDATE queue_job SET records = jsonb_set(records, '{model}', '\"gone.model\"') WHERE uuid = $1", job.Uuid);
        await LogInAsync();

        await AssertAnswerAsync(await _http.GetAsync($"/queue_job/jobs/{job.Uuid}/related"), HttpStatusCode.NotFound, "Unknown model 'gone.model'");
    }

    [Test]
    public async Task A_related_action_no_addon_registers_is_404_naming_it()
    {
        var job = await EnqueueAsync();
        await Database.ScalarAsync<object>(
            "UPDATE queue_job_function SET related_action = '{\"func_name\": \"nowhere\"}' WHERE id = (SELECT job_function_id FROM queue_job WHERE uuid = $1)", job.Uuid);
        await LogInAsync();

        await AssertAnswerAsync(await _http.GetAsync($"/queue_job/jobs/{job.Uuid}/related"), HttpStatusCode.NotFound, "no related action named 'nowhere'");
    }

    [Test]
    public async Task An_unknown_path_and_a_route_constraint_not_met_get_a_message()
    {
        await LogInAsync();

        await AssertAnswerAsync(await _http.GetAsync("/no/such/page"), HttpStatusCode.NotFound, "No page at GET /no/such/page");
        await AssertAnswerAsync(await _http.GetAsync("/web/record/test.queue.job/abc"), HttpStatusCode.NotFound, "No page at GET /web/record/test.queue.job/abc");
    }

    private async Task LogInAsync()
    {
        await WebForms.LogInAsync(_http);
    }

    /// <summary>A job of a function with a related action (AppendNoteAsync's, registered by the fixture addon).</summary>
    private async Task<DelayedJob> EnqueueAsync()
    {
        await using var env = await _host.Database.BeginAsync();
        var records = env.Model<TestQueueJobModel>();
        var record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = "related" }));
        var job = await record.WithDelay().EnqueueAsync(x => x.AppendNoteAsync("x"));
        await env.CommitAsync();
        return job;
    }

    private static async Task AssertAnswerAsync(HttpResponseMessage response, HttpStatusCode status, string message)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(status), body);
            Assert.That(body, Does.Contain(message));
        });
    }
}
