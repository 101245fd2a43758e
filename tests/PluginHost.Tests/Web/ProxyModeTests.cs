using System.Net;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Web;

/// <summary><c>[web] proxy_mode</c>: behind a local reverse proxy speaking HTTPS, the session cookie is <c>Secure</c> (issue 12, item 6).</summary>
public sealed class ProxyModeTests : DatabaseTestBase
{
    [TestCase("true", true)]
    [TestCase("false", false)]
    public async Task The_session_cookie_is_secure_when_the_proxy_says_https_and_proxy_mode_is_on(string proxyMode, bool secure)
    {
        var options = Database.Options(RepoPaths.Addons) with { ServerWideModules = ["web"] };
        await using var host = await TestHost.BootAsync(options, new Dictionary<string, string?> { ["web:proxy_mode"] = proxyMode });
        await host.Host.StartAsync();
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() })
        {
            BaseAddress = new Uri($"http://{options.HttpInterface}:{options.HttpPort}"),
            DefaultRequestHeaders = { { "X-Forwarded-Proto", "https" } },
        };

        var login = await WebForms.PostAsync(http, "/web/login", new Dictionary<string, string> { ["login"] = "admin", ["password"] = "admin" });

        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("session_id=", StringComparison.Ordinal));
        Assert.That(cookie.Contains("secure", StringComparison.OrdinalIgnoreCase), Is.EqualTo(secure), cookie);
    }

    [Test]
    public void A_proxy_mode_that_is_not_a_boolean_stops_the_start_naming_the_key()
    {
        var options = Database.Options(RepoPaths.Addons) with { ServerWideModules = ["web"] };

        var error = Assert.CatchAsync(async () => await (await TestHost.BootAsync(options, new Dictionary<string, string?> { ["web:proxy_mode"] = "maybe" })).DisposeAsync());

        Assert.That(error!.ToString(), Does.Contain("[web] proxy_mode: expected true or false, got 'maybe'"));
    }
}
