using System.Net;
using System.Text.RegularExpressions;
using PluginHost.Host.Hosting;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Web;

/// <summary>A node serving several databases (<c>--db-filter</c>) lets a user choose one at login; the session is of that database (issue 12, item 1).</summary>
public sealed class DatabaseSelectorTests
{
    private TestDatabase _own = null!;
    private TestDatabase _other = null!;
    private BootedHost _host = null!;
    private PluginHost.Host.Configuration.ServerOptions _options = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _own = new TestDatabase();
        _other = new TestDatabase();
        await (await TestHost.BootAsync(_other.Options(RepoPaths.Addons) with { Init = ["queue_job"] })).DisposeAsync();
        _options = _own.Options(RepoPaths.Addons) with
        {
            ServerWideModules = ["web", "queue_job"], Init = ["queue_job"], DbFilter = new Regex($"^(?:{_own.Name}|{_other.Name})$"),
        };
        _host = await TestHost.BootAsync(_options, new Dictionary<string, string?> { ["queue_job:channels"] = "root:0" });
        await _host.Host.StartAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        await _other.DisposeAsync();
        await _own.DisposeAsync();
    }

    [Test]
    public async Task The_login_page_offers_both_databases_and_the_session_is_of_the_one_chosen()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = new Uri($"http://{_options.HttpInterface}:{_options.HttpPort}"),
        };

        var form = await http.GetStringAsync("/web/login");
        Assert.That(form, Does.Contain($"<option>{_own.Name}</option>").And.Contain($"<option>{_other.Name}</option>"));

        var login = await WebForms.PostAsync(http, "/web/login", new Dictionary<string, string> { ["login"] = "admin", ["password"] = "admin", ["db"] = _other.Name });
        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(await http.GetStringAsync("/web"), Does.Contain(_other.Name));
        Assert.That(await _other.ScalarAsync<long>("SELECT count(*) FROM web_session"), Is.EqualTo(1), "the session is kept in the database chosen");
        Assert.That(await _own.ScalarAsync<long>("SELECT count(*) FROM web_session"), Is.Zero);
    }

    [Test]
    public async Task A_database_not_served_is_refused_at_login_naming_it()
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = new Uri($"http://{_options.HttpInterface}:{_options.HttpPort}"),
        };

        var login = await WebForms.PostAsync(http, "/web/login", new Dictionary<string, string> { ["login"] = "admin", ["password"] = "admin", ["db"] = "postgres" });

        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That(await login.Content.ReadAsStringAsync(), Does.Contain("No database &#39;postgres&#39; is served here"));
    }
}
