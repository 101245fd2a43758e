using System.Net;
using Microsoft.Extensions.Hosting;
using PluginHost.Host.Hosting;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Web;

/// <summary>Login attempts are limited per client address (issue 12, item 6).</summary>
public sealed class LoginRateLimitTests : DatabaseTestBase
{
    private BootedHost _host = null!;
    private HttpClient _http = null!;

    [SetUp]
    public async Task StartAsync()
    {
        var options = Database.Options(RepoPaths.Addons) with { ServerWideModules = ["web"] };
        _host = await TestHost.BootAsync(options);
        await _host.Host.StartAsync();
        _http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
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
    public async Task Past_ten_attempts_a_minute_even_the_right_password_gets_429_with_retry_after()
    {
        for (var i = 0; i < 10; i++)
        {
            Assert.That((await LoginAsync(i % 2 == 0 ? "admin" : "nobody", "wrong")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized), $"attempt {i + 1}");
        }

        var limited = await LoginAsync("admin", "admin");

        Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(limited.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromMinutes(1)));
        Assert.That(await limited.Content.ReadAsStringAsync(), Does.Contain("Too many login attempts"));
    }

    private Task<HttpResponseMessage> LoginAsync(string login, string password) =>
        _http.PostAsync("/web/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["login"] = login, ["password"] = password }));
}
