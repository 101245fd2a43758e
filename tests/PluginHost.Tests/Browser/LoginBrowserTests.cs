using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace PluginHost.Tests.Browser;

/// <summary>Logging in and out in the browser, and what a session cookie is worth after logout (issue 12).</summary>
public sealed class LoginBrowserTests : BrowserTestBase
{
    [Test]
    public async Task An_admin_logs_in_through_the_form_and_sees_the_menus()
    {
        var menus = await Page.Locator("header a").AllInnerTextsAsync();

        Assert.That(menus, Does.Contain("Job Queue").And.Contain("Queue job demo"));
        Assert.That(await Page.Locator("header .user").InnerTextAsync(), Does.StartWith("admin ·"));
    }

    [Test]
    public async Task A_wrong_password_keeps_the_visitor_on_the_login_form()
    {
        var page = await AnonymousPageAsync();
        await page.GotoAsync("/web/login");
        await page.Locator("input[name=login]").FillAsync("admin");
        await page.Locator("input[name=password]").FillAsync("wrong");
        await page.Locator("form[action='/web/login'] button[type=submit]").ClickAsync();

        await Expect(page.Locator("p.error")).ToHaveTextAsync("Wrong login/password");
        Assert.That(await page.Locator("button#logout").CountAsync(), Is.Zero);
    }

    [Test]
    public async Task A_session_cookie_copied_before_logout_is_refused_after_it()
    {
        var copied = (await Page.Context.CookiesAsync()).Single(c => c.Name == "session_id");
        using (var before = CookieClient($"session_id={copied.Value}"))
        {
            Assert.That((await before.GetAsync("/queue_job/jobs.json")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the copied cookie works before logout");
        }

        await Page.Locator("button#logout").ClickAsync();
        await Expect(Page).ToHaveURLAsync(new Regex("/web/login"));
        var replay = await AnonymousPageAsync();
        await replay.Context.AddCookiesAsync([new Microsoft.Playwright.Cookie { Name = copied.Name, Value = copied.Value, Domain = copied.Domain, Path = copied.Path }]);
        await replay.GotoAsync("/queue_job/jobs");
        using var after = CookieClient($"session_id={copied.Value}");
        var json = await after.GetAsync("/queue_job/jobs.json");

        Assert.That(new Uri(replay.Url).AbsolutePath, Is.EqualTo("/web/login"));
        Assert.That(json.StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
    }
}
