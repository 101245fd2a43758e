using System.Net;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Web;

/// <summary>Login attempts are limited per client address (issue 12, item 6).</summary>
public sealed class LoginRateLimitTests : RunningHostTestBase
{
    protected override string Channels => "root:0";

    [Test]
    public async Task Past_ten_attempts_a_minute_even_the_right_password_gets_429_with_retry_after()
    {
        using var http = WebClient();
        for (var i = 0; i < 10; i++)
        {
            // Attempts without the form's token count too: the limit is checked before the token.
            var attempt = i % 3 == 2
                ? await http.PostAsync("/web/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["login"] = "admin", ["password"] = "admin" }))
                : await LoginAsync(http, i % 2 == 0 ? "admin" : "nobody", "wrong");
            Assert.That(attempt.StatusCode, Is.EqualTo(i % 3 == 2 ? HttpStatusCode.Forbidden : HttpStatusCode.Unauthorized), $"attempt {i + 1}");
        }

        var limited = await LoginAsync(http, "admin", "admin");

        Assert.That(limited.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(limited.Headers.RetryAfter?.Delta, Is.GreaterThan(TimeSpan.Zero).And.LessThanOrEqualTo(TimeSpan.FromMinutes(1)));
        Assert.That(await limited.Content.ReadAsStringAsync(), Does.Contain("Too many login attempts"));
    }

    private static Task<HttpResponseMessage> LoginAsync(HttpClient http, string login, string password) =>
        WebForms.PostAsync(http, "/web/login", new Dictionary<string, string> { ["login"] = login, ["password"] = password });
}
