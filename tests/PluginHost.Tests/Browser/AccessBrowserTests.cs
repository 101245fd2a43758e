using System.Net;
using Microsoft.Playwright;
using PluginHost.Sdk;

namespace PluginHost.Tests.Browser;

/// <summary>Only Job Queue managers see the queue: anonymous visitors are sent to the login, other users refused (issue 12).</summary>
public sealed class AccessBrowserTests : BrowserTestBase
{
    [Test]
    public async Task An_anonymous_visitor_is_sent_to_the_login_by_every_page_and_refused_by_every_json_endpoint_and_action()
    {
        var page = await AnonymousPageAsync();

        await AssertAnonymousRefusedAsync(page, JobQueueRoutes.Pages, JobQueueRoutes.JsonEndpoints, JobQueueRoutes.Actions);
    }

    [Test]
    public async Task A_user_outside_the_job_queue_managers_sees_no_job_queue_menu_and_is_refused_every_page_and_endpoint()
    {
        await CreateUserAsync("demo", "demo");
        var page = await LoggedInPageAsync("demo", "demo");
        var menus = await page.Locator("header a").AllInnerTextsAsync();

        Assert.That(menus, Does.Not.Contain("Job Queue"));
        await AssertForbiddenAsync(page, JobQueueRoutes.Pages, JobQueueRoutes.JsonEndpoints);
    }

    /// <summary>A user outside every group but the implied ones, created as an operator would with SQL.</summary>
    private Task CreateUserAsync(string login, string password) =>
        Database.ScalarAsync<object>("INSERT INTO res_users (login, name, password) VALUES ($1, $2, $3)", login, "Demo", UserPassword.Hash(password));

    /// <summary>Each page lands on the login form; each JSON endpoint and action answers 401.</summary>
    internal static async Task AssertAnonymousRefusedAsync(IPage page, IEnumerable<string> pages, IEnumerable<string> json, IEnumerable<string> actions)
    {
        var outcomes = new List<string>();
        foreach (var route in pages)
        {
            await page.GotoAsync(route);
            outcomes.Add($"GET {route} -> {new Uri(page.Url).AbsolutePath}");
        }

        foreach (var route in json)
        {
            outcomes.Add($"GET {route} -> {(await page.APIRequest.GetAsync(route)).Status}");
        }

        foreach (var route in actions)
        {
            outcomes.Add($"POST {route} -> {(await page.APIRequest.PostAsync(route)).Status}");
        }

        var expected = pages.Select(r => $"GET {r} -> /web/login")
            .Concat(json.Select(r => $"GET {r} -> {(int)HttpStatusCode.Unauthorized}"))
            .Concat(actions.Select(r => $"POST {r} -> {(int)HttpStatusCode.Unauthorized}"));
        Assert.That(outcomes, Is.EqualTo(expected));
    }

    /// <summary>Each page and JSON endpoint answers 403 to the logged-in user of <paramref name="page"/>.</summary>
    internal static async Task AssertForbiddenAsync(IPage page, IEnumerable<string> pages, IEnumerable<string> json)
    {
        var outcomes = new List<string>();
        foreach (var route in pages)
        {
            var response = await page.GotoAsync(route);
            outcomes.Add($"GET {route} -> {response!.Status}");
        }

        foreach (var route in json)
        {
            outcomes.Add($"GET {route} -> {(await page.APIRequest.GetAsync(route)).Status}");
        }

        Assert.That(outcomes, Is.EqualTo(pages.Concat(json).Select(r => $"GET {r} -> {(int)HttpStatusCode.Forbidden}")));
    }
}
