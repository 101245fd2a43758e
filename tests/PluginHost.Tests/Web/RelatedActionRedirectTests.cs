using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PluginHost.Addons.QueueJob;
using PluginHost.Host.Hosting;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Web;

/// <summary>
/// <c>/queue_job/jobs/{uuid}/related</c> redirects only to a path on this site, whatever URL the related action
/// returns: an action building its URL from job data is no open redirect (issue 13).
/// </summary>
public sealed class RelatedActionRedirectTests : DatabaseTestBase
{
    private ListLoggerProvider _log = null!;
    private ILoggerFactory _logging = null!;
    private BootedHost _host = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _log = new ListLoggerProvider();
        _logging = LoggerFactory.Create(builder => builder.AddProvider(_log));
        var options = Database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with { ServerWideModules = ["web", "queue_job"], Init = ["test_queue_job"] };
        _host = await TestHost.BootAsync(options, new Dictionary<string, string?> { ["queue_job:channels"] = "root:0" }, _logging);
        await _host.Host.StartAsync();
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = new Uri($"http://{options.HttpInterface}:{options.HttpPort}"),
        };
        await WebForms.LogInAsync(_http);
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
        _logging.Dispose();
        _log.Dispose();
    }

    [TestCase("https://evil.example/phish")]
    [TestCase("//evil.example")]
    [TestCase("/\\evil.example")]
    [TestCase("javascript:alert(1)")]
    public async Task An_action_returning_a_url_off_the_site_is_refused_naming_the_action_and_the_url(string url)
    {
        var uuid = await EnqueueOpeningAsync(url);

        using var response = await _http.GetAsync($"/queue_job/jobs/{uuid}/related");

        var body = await response.Content.ReadAsStringAsync();
        var error = JsonDocument.Parse(body).RootElement.GetProperty("error").GetString();
        Assert.Multiple(() =>
        {
            Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError), body);
            Assert.That(response.Headers.Location, Is.Null);
            Assert.That(error, Does.Contain("related action 'related_action_test_url'").And.Contain($"'{url}'"));
            Assert.That(_log.Lines.Where(l => l.Level == LogLevel.Warning).Select(l => l.Message),
                Has.Some.Matches<string>(m => m.Contains("related_action_test_url") && m.Contains(url)));
        });
    }

    [Test]
    public async Task An_action_returning_a_path_on_the_site_redirects_to_it()
    {
        var uuid = await EnqueueOpeningAsync("/web/record/test.queue.job/1?tab=notes");

        using var response = await _http.GetAsync($"/queue_job/jobs/{uuid}/related");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location?.OriginalString, Is.EqualTo("/web/record/test.queue.job/1?tab=notes"));
    }

    /// <summary>A job whose function's related action opens <paramref name="url"/>.</summary>
    private async Task<string> EnqueueOpeningAsync(string url)
    {
        await using var env = await _host.Database.BeginAsync();
        var records = env.Model<TestQueueJobModel>();
        var record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = "related" }));
        var job = await record.WithDelay().EnqueueAsync(x => x.AppendNoteAsync("x"));
        var action = JsonSerializer.Serialize(new { func_name = "related_action_test_url", kwargs = new { url } });
        await env.ExecuteAsync("UPDATE queue_job_function SET related_action = $1::jsonb WHERE id = (SELECT job_function_id FROM queue_job WHERE uuid = $2)",
            action, job.Uuid);
        await env.CommitAsync();
        return job.Uuid;
    }
}
