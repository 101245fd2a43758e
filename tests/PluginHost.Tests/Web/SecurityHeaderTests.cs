using System.Net;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Web;

/// <summary>Every answer of the web addon carries the security headers, and the session cookie its attributes (issue 12, item 6).</summary>
public sealed class SecurityHeaderTests : RunningHostTestBase
{
    protected override string Channels => "root:0";

    [TestCase("/web/login", HttpStatusCode.OK)]
    [TestCase("/queue_job/jobs", HttpStatusCode.Redirect)]
    [TestCase("/no/such/page", HttpStatusCode.NotFound)]
    public async Task Every_answer_forbids_framing_inline_scripts_and_sniffing(string path, HttpStatusCode status)
    {
        using var http = WebClient();

        var response = await http.GetAsync(path);

        Assert.That(response.StatusCode, Is.EqualTo(status));
        var policy = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
        Assert.That(policy, Does.Contain("frame-ancestors 'none'").And.Contain("script-src 'self';").And.Not.Contain("unsafe-eval"));
        Assert.That(policy, Does.Not.Match("script-src[^;]*unsafe-inline"), "no inline script may run");
        Assert.That(response.Headers.GetValues("X-Frame-Options"), Is.EqualTo(new[] { "DENY" }));
        Assert.That(response.Headers.GetValues("X-Content-Type-Options"), Is.EqualTo(new[] { "nosniff" }));
        Assert.That(response.Headers.GetValues("Referrer-Policy"), Is.EqualTo(new[] { "same-origin" }));
    }

    [Test]
    public async Task The_session_cookie_is_http_only_and_same_site()
    {
        using var http = WebClient();

        var login = await WebForms.PostAsync(http, "/web/login", new Dictionary<string, string> { ["login"] = "admin", ["password"] = "admin" });

        Assert.That(login.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        var cookie = login.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("session_id="));
        Assert.That(cookie, Does.Contain("httponly").IgnoreCase.And.Contain("samesite=lax").IgnoreCase);
    }
}
