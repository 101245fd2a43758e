using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Hosting;
using Npgsql;
using PluginHost.Host.Hosting;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// The whole path with the real addons: the demo endpoint delays a job in its transaction, the trigger
/// notifies, the runner enqueues it, an executor runs it, and the Job Queue page lists it.
/// </summary>
public sealed class DelayedJobEndToEndTests
{
    private static readonly string[] OdooColumns =
    [
        "uuid", "graph_uuid", "user_id", "company_id", "name", "model_name", "method_name", "record_ids", "records", "dependencies",
        "args", "kwargs", "func_string", "state", "priority", "exc_name", "exc_message", "exc_info", "result", "date_created",
        "date_started", "date_enqueued", "date_done", "date_cancelled", "exec_time", "eta", "retry", "max_retries",
        "channel_method_name", "job_function_id", "channel", "identity_key", "worker_pid",
    ];

    private TestDatabase _database = null!;
    private BootedHost _host = null!;
    private HttpClient _http = null!;
    private NpgsqlConnection _listener = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _database = new TestDatabase();
        var options = _database.Options(RepoPaths.Addons) with { ServerWideModules = ["web", "queue_job"], Init = ["queue_job_demo"] };
        _host = await TestHost.BootAsync(options, new Dictionary<string, string?> { ["queue_job:channels"] = "root:2" });
        await _host.Host.StartAsync();
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = new Uri($"http://{options.HttpInterface}:{options.HttpPort}"),
        };
        _listener = await _database.ConnectAsync();
        await using var listen = new NpgsqlCommand("LISTEN queue_job", _listener);
        await listen.ExecuteNonQueryAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        _http.Dispose();
        await _listener.DisposeAsync();
        await _host.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task A_job_delayed_from_the_demo_endpoint_runs_and_is_listed_done()
    {
        await LoginAsync();

        var uuid = await CreateDemoJobAsync("");
        var state = await WaitForFinalStateAsync(uuid);
        var page = await _http.GetStringAsync("/queue_job/jobs");

        Assert.That(state, Is.EqualTo("done"));
        Assert.That(await _database.ScalarAsync<string>("SELECT result FROM queue_job WHERE uuid = $1", uuid), Is.EqualTo("confirmed demo.order(1,)"));
        Assert.That(await _database.ScalarAsync<string>("SELECT channel || ' ' || retry || ' ' || (date_done >= date_started) FROM queue_job WHERE uuid = $1", uuid),
            Is.EqualTo("root.demo 1 true"));
        Assert.That(await _database.ScalarAsync<string>("SELECT state || ' ' || note FROM demo_order WHERE id = 1"), Is.EqualTo("confirmed confirmed from the demo page"));
        Assert.That(page, Does.Contain($"data-uuid=\"{uuid}\"").And.Contain("state-done"));
        // The counts by state are read every few seconds, off the scrape path.
        var doneLine = $"queue_job_jobs{{db=\"{_database.Name}\",state=\"done\",channel=\"root.demo\"}} 1";
        var metrics = "";
        await Eventually.UntilAsync(async () => (metrics = await MetricsAsync()).Contains(doneLine, StringComparison.Ordinal), 15);
        Assert.That(metrics, Does.Contain(doneLine)
            .And.Contain("queue_job_executions_total{channel=\"root.demo\",outcome=\"done\"} 1")
            .And.Contain("queue_job_execution_duration_seconds_count{channel=\"root.demo\"} 1"));
    }

    [Test]
    public async Task A_job_that_raises_is_failed_with_the_exception_and_its_stack_trace()
    {
        await LoginAsync();

        var uuid = await CreateDemoJobAsync("?fail=true");
        var state = await WaitForFinalStateAsync(uuid);

        Assert.That(state, Is.EqualTo("failed"));
        Assert.That(await _database.ScalarAsync<string>("SELECT exc_name || ': ' || exc_message FROM queue_job WHERE uuid = $1", uuid),
            Is.EqualTo("System.InvalidOperationException: demo failure"));
        Assert.That(await _database.ScalarAsync<string>("SELECT exc_info FROM queue_job WHERE uuid = $1", uuid), Does.Contain("DemoOrder.Fail"));
    }

    [Test]
    public async Task A_failed_job_is_cancelled_from_its_page_whose_related_action_opens_the_order()
    {
        await LoginAsync();
        var uuid = await CreateDemoJobAsync("?fail=true");
        await WaitForFinalStateAsync(uuid);

        var page = await _http.GetStringAsync($"/queue_job/jobs/{uuid}");
        var cancel = await _http.PostAsync($"/queue_job/jobs/{uuid}/cancel", null);
        var related = await _http.GetAsync($"/queue_job/jobs/{uuid}/related");
        var order = await _http.GetStringAsync(related.Headers.Location!.ToString());

        Assert.That(page, Does.Contain("demo failure").And.Contain("state-failed"));
        Assert.That(cancel.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        Assert.That(await _database.ScalarAsync<string>("SELECT state || ' ' || result FROM queue_job WHERE uuid = $1", uuid), Is.EqualTo("cancelled Cancelled by Administrator"));
        Assert.That(related.Headers.Location!.ToString(), Is.EqualTo("/web/record/demo.order/1"));
        Assert.That(order, Does.Contain("Demo order"));
    }

    [Test]
    public async Task The_queue_job_table_has_the_column_names_of_odoo()
    {
        var columns = await _database.ColumnAsync<string>("SELECT column_name::text FROM information_schema.columns WHERE table_name = 'queue_job'");

        Assert.That(columns, Is.SupersetOf(OdooColumns));
    }

    [Test]
    public async Task The_jobs_page_requires_a_login()
    {
        var response = await _http.GetAsync("/queue_job/jobs");

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(response.Headers.Location!.ToString(), Does.Contain("/web/login?redirect="));
    }

    [TestCase("/web", "/web")]
    [TestCase("//evil.example", "/web")]
    [TestCase("/\t/evil.example", "/web")]
    [TestCase("/queue_job/jobs", "/queue_job/jobs")]
    public async Task After_login_only_local_redirects_are_followed(string redirect, string expected)
    {
        var response = await WebForms.PostAsync(_http, "/web/login", new Dictionary<string, string>
        {
            ["login"] = "admin", ["password"] = "admin", ["redirect"] = redirect,
        });

        Assert.That(response.Headers.Location!.ToString(), Is.EqualTo(expected));
    }

    [Test]
    public async Task A_wrong_password_is_refused()
    {
        var response = await WebForms.PostAsync(_http, "/web/login", new Dictionary<string, string> { ["login"] = "admin", ["password"] = "wrong" });

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await response.Content.ReadAsStringAsync(), Does.Contain("Wrong login/password"));
    }

    private Task LoginAsync() => WebForms.LogInAsync(_http);

    private async Task<string> MetricsAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new("Bearer", TestHost.MetricsToken) } };
        using var response = await _http.SendAsync(request);
        return await response.EnsureSuccessStatusCode().Content.ReadAsStringAsync();
    }

    private async Task<string> CreateDemoJobAsync(string query)
    {
        var response = await _http.PostAsync("/queue_job_demo/jobs" + query, null);
        response.EnsureSuccessStatusCode();
        var job = await response.Content.ReadFromJsonAsync<JsonElement>();
        return job.GetProperty("uuid").GetString()!;
    }

    /// <summary>Waits on the queue_job notifications until the job is done or failed; gives up after 30 s.</summary>
    private async Task<string?> WaitForFinalStateAsync(string uuid)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var state = await _database.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", uuid);
            if (state is "done" or "failed" || DateTime.UtcNow > deadline)
            {
                return state;
            }

            await _listener.WaitAsync(TimeSpan.FromSeconds(1));
        }
    }
}
