using System.Net;
using PluginHost.Addons.Web;
using PluginHost.Host.Cli;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Web;

/// <summary>
/// <c>host users</c> manages users and groups; server-side sessions end at logout, at a password change and at a
/// deactivation, even for a copy of the cookie (issue 12, item 6).
/// </summary>
public sealed class UsersAndSessionsTests : RunningHostTestBase
{
    protected override string Channels => "root:0";

    [Test]
    public async Task A_created_user_logs_in_sees_no_job_queue_and_becomes_a_manager_through_a_group()
    {
        Assert.That((await RunAsync("create", "clerk", "--name", "The Clerk", "--password", "clerk-pass")).Code, Is.Zero);
        using var http = WebClient();
        await WebForms.LogInAsync(http, "clerk", "clerk-pass");

        var home = await http.GetStringAsync("/web");
        var jobs = await http.GetAsync("/queue_job/jobs");
        Assert.That(home, Does.Contain("The Clerk").Or.Contain("clerk"));
        Assert.That(home, Does.Not.Contain("Job Queue"), "no menu to the queue for a user outside the managers' group");
        Assert.That(jobs.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));

        var (code, groups) = await RunAsync("groups", "clerk", "--add", "queue_job.group_queue_job_manager");
        Assert.That(code, Is.Zero);
        Assert.That(groups, Does.Contain("queue_job.group_queue_job_manager"));
        Assert.That((await http.GetAsync("/queue_job/jobs")).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await RunAsync("list")).Output, Does.Match(@"clerk\s+The Clerk\s+yes\s+queue_job.group_queue_job_manager"));
    }

    [TestCase("password")]
    [TestCase("deactivate")]
    [TestCase("logout")]
    public async Task A_copied_session_cookie_stops_working(string how)
    {
        await RunAsync("create", "clerk", "--password", "clerk-pass");
        var cookies = new CookieContainer();
        using var browser = Client(cookies);
        await WebForms.LogInAsync(browser, "clerk", "clerk-pass");
        var copy = new CookieContainer();
        copy.Add(cookies.GetCookies(browser.BaseAddress!));
        using var thief = Client(copy);
        Assert.That((await thief.GetAsync("/web")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "the copy works while the session is open");

        if (how == "logout")
        {
            var logout = await WebForms.PostAsync(browser, "/web/logout", [], page: "/web");
            Assert.That(logout.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        }
        else
        {
            var (code, output) = how == "password" ? await RunAsync("password", "clerk", "--password", "new-pass-1") : await RunAsync("deactivate", "clerk");
            Assert.That(code, Is.Zero, output);
        }

        var after = await thief.GetAsync("/web");
        Assert.That(after.StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
        Assert.That(after.Headers.Location!.ToString(), Does.Contain("/web/login"));
    }

    [Test]
    public async Task Logout_is_a_post_with_the_token()
    {
        using var http = WebClient();
        await WebForms.LogInAsync(http);

        var get = await http.GetAsync("/web/logout");
        var withoutToken = await http.PostAsync("/web/logout", new FormUrlEncodedContent([]));

        Assert.That(get.StatusCode, Is.Not.EqualTo(HttpStatusCode.Redirect), "a GET does not log out");
        Assert.That(withoutToken.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await http.GetAsync("/web")).StatusCode, Is.EqualTo(HttpStatusCode.OK), "still logged in");
    }

    [Test]
    public async Task Unknown_logins_and_groups_are_named()
    {
        var (code, output) = await RunAsync("groups", "nobody", "--add", "base.group_system");
        var (groupCode, groupOutput) = await RunAsync("create", "clerk", "--password", "clerk-pass", "--group", "base.no_such");

        Assert.That(code, Is.EqualTo(2));
        Assert.That(output, Does.Contain("no user 'nobody'"));
        Assert.That(groupCode, Is.EqualTo(2));
        Assert.That(groupOutput, Does.Contain("no group 'base.no_such'").And.Contain("queue_job.group_queue_job_manager"));
        Assert.That(await Database.ScalarAsync<long>("SELECT count(*) FROM res_users WHERE login = 'clerk'"), Is.Zero, "nothing stored");
    }

    private HttpClient Client(CookieContainer cookies) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = new Uri($"http://{Options.HttpInterface}:{Options.HttpPort}") };

    private Task<(int Code, string Output)> RunAsync(params string[] args) =>
        AddonCommandHarness.RunAsync(new WebAddon(), "web", Host.Database, ["users", .. args]);
}
