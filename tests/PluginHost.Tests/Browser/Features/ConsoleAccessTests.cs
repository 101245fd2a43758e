namespace PluginHost.Tests.Browser.Features;

/// <summary>The console's new pages and endpoints (dashboard, channels, functions, live) are refused as the others are (issue 12, Security).</summary>
public sealed class ConsoleAccessTests : BrowserTestBase
{
    [Test]
    public async Task An_anonymous_visitor_is_sent_to_the_login_by_the_console_pages_and_refused_by_its_endpoints()
    {
        var page = await AnonymousPageAsync();

        await AccessBrowserTests.AssertAnonymousRefusedAsync(page, JobQueueRoutes.ConsolePages, JobQueueRoutes.ConsoleJsonEndpoints, JobQueueRoutes.ConsoleActions);
    }

    [Test]
    public async Task A_user_outside_the_job_queue_managers_is_refused_the_console_pages_and_endpoints()
    {
        await Database.ScalarAsync<object>("INSERT INTO res_users (login, name, password) VALUES ('demo', 'Demo', $1)", PluginHost.Sdk.UserPassword.Hash("demo"));
        var page = await LoggedInPageAsync("demo", "demo");

        await AccessBrowserTests.AssertForbiddenAsync(page, JobQueueRoutes.ConsolePages, JobQueueRoutes.ConsoleJsonEndpoints);
    }
}
