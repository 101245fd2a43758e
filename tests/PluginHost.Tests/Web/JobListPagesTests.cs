using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using PluginHost.Sdk;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Web;

/// <summary>The Jobs list through a running host (issue 12): filters, counts, groups, paging, bad parameters, access.</summary>
public sealed partial class JobListPagesTests : RunningHostTestBase
{
    protected override string Channels => "root:0";

    [Test]
    public async Task The_failed_tab_finds_eleven_failed_jobs_among_a_thousand_newer_done_ones()
    {
        await JobListJobs.AddAsync(Database, "failed", 11, "failed");
        await JobListJobs.AddAsync(Database, "done", 1100, secondsAfter: 1000);
        using var http = await ManagerAsync();

        var page = await http.GetStringAsync("/queue_job/jobs?state=failed");

        Assert.That(Uuids(page), Has.Count.EqualTo(11).And.All.StartWith("failed-"));
        Assert.That(page, Does.Match("data-state=\"failed\"[^>]*>failed <span class=\"count\">11</span>"));
        Assert.That(page, Does.Match("data-state=\"done\"[^>]*>done <span class=\"count\">1100</span>"));
        Assert.That(page, Does.Not.Contain("id=\"next-page\""));
    }

    [Test]
    public async Task Filters_by_channel_function_model_dates_and_text_narrow_the_jobs_and_their_counts_per_state()
    {
        await JobListJobs.AddAsync(Database, "a-done", 5, channel: "root.a");
        await JobListJobs.AddAsync(Database, "a-failed", 2, "failed", channel: "root.a");
        await JobListJobs.AddAsync(Database, "b-pending", 3, "pending", channel: "root.b", function: "<test.queue.job>.Other", secondsAfter: 86400);
        using var http = await ManagerAsync();

        var channelA = await JsonAsync(http, "/queue_job/jobs.json?channel=root.a");
        var failedA = await JsonAsync(http, "/queue_job/jobs.json?channel=root.a&state=failed");
        var other = await JsonAsync(http, "/queue_job/jobs.json?function=%3Ctest.queue.job%3E.Other");
        var secondDay = await JsonAsync(http, "/queue_job/jobs.json?created_from=2025-01-02&created_to=2025-01-02");
        var boom = await JsonAsync(http, "/queue_job/jobs.json?q=BOOM");
        var model = await JsonAsync(http, "/queue_job/jobs.json?model=test.queue.job&state=pending");

        Assert.That(channelA.GetProperty("jobs").GetArrayLength(), Is.EqualTo(7));
        Assert.That(channelA.GetProperty("counts").GetProperty("done").GetInt64(), Is.EqualTo(5));
        Assert.That(channelA.GetProperty("counts").GetProperty("failed").GetInt64(), Is.EqualTo(2));
        Assert.That(channelA.GetProperty("counts").GetProperty("pending").GetInt64(), Is.EqualTo(0));
        Assert.That(failedA.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("state").GetString()), Is.EqualTo(new[] { "failed", "failed" }));
        Assert.That(failedA.GetProperty("counts").GetProperty("done").GetInt64(), Is.EqualTo(5), "the tabs count the other filters, not the state");
        Assert.That(other.GetProperty("jobs").GetArrayLength(), Is.EqualTo(3));
        Assert.That(secondDay.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("uuid").GetString()), Is.All.StartWith("b-pending"));
        Assert.That(boom.GetProperty("jobs").EnumerateArray().Select(j => j.GetProperty("uuid").GetString()), Is.EquivalentTo(new[] { "a-failed-1", "a-failed-2" }));
        Assert.That(model.GetProperty("jobs").GetArrayLength(), Is.EqualTo(3));
        Assert.That(channelA.GetProperty("next").ValueKind, Is.EqualTo(JsonValueKind.Null));
    }

    [Test]
    public async Task Grouping_by_channel_counts_each_channel_and_links_to_its_jobs()
    {
        await JobListJobs.AddAsync(Database, "a", 4, channel: "root.a");
        await JobListJobs.AddAsync(Database, "b", 2, channel: "root.b");
        using var http = await ManagerAsync();

        var page = await http.GetStringAsync("/queue_job/jobs?group=channel");
        var groups = await JsonAsync(http, "/queue_job/jobs.json?group=channel");

        Assert.That(page, Does.Contain("<a class=\"group-link\" href=\"/queue_job/jobs?channel=root.a\">root.a</a></td><td>4</td>"));
        Assert.That(groups.GetProperty("groups").EnumerateArray().Select(g => (g.GetProperty("key").GetString(), g.GetProperty("count").GetInt64())),
            Is.EqualTo(new[] { ("root.a", 4L), ("root.b", 2L) }));
    }

    [Test]
    public async Task Following_the_next_page_links_walks_every_job_once_and_the_previous_link_comes_back()
    {
        // 130 jobs, 7 created in each second: pages end in the middle of a second; the list is in the order of their ids.
        await JobListJobs.AddAsync(Database, "walk", 130, sameSecond: 7);
        using var http = await ManagerAsync();

        var seen = new List<string>();
        var pages = new List<string>();
        string? url = "/queue_job/jobs";
        while (url is not null && pages.Count < 10)
        {
            var page = await http.GetStringAsync(url);
            pages.Add(page);
            seen.AddRange(Uuids(page));
            url = Link(page, "next-page");
        }

        var back = await http.GetStringAsync(Link(pages[1], "prev-page")!);
        Assert.That(pages, Has.Count.EqualTo(3));
        Assert.That(seen, Is.Unique.And.EquivalentTo(Enumerable.Range(1, 130).Select(i => $"walk-{i}")));
        Assert.That(seen, Is.EqualTo(seen.OrderByDescending(u => int.Parse(u[5..])).ToList()), "newest first, then the highest id");
        Assert.That(Uuids(back), Is.EqualTo(Uuids(pages[0])));
    }

    [Test]
    public async Task Another_sort_pages_by_number_and_says_it_reads_every_matching_job()
    {
        await JobListJobs.AddAsync(Database, "sorted", 60);
        using var http = await ManagerAsync();

        var first = await http.GetStringAsync("/queue_job/jobs?sort=priority&dir=asc");
        var second = await http.GetStringAsync(Link(first, "next-page")!);

        Assert.That(first, Does.Contain("id=\"notice\"").And.Contain("<a href=\"/queue_job/jobs?sort=priority\">Priority</a> ▲"));
        Assert.That(Link(first, "next-page"), Is.EqualTo("/queue_job/jobs?sort=priority&dir=asc&page=2"));
        Assert.That(Uuids(first).Concat(Uuids(second)).ToList(), Is.Unique.And.Count.EqualTo(60));
    }

    [TestCase("state=sleeping", "state")]
    [TestCase("created_from=yesterday", "created_from")]
    [TestCase("created_to=2025-13-45", "created_to")]
    [TestCase("after=not-a-cursor", "after")]
    [TestCase("sort=colour", "sort")]
    [TestCase("dir=up", "dir")]
    [TestCase("group=user", "group")]
    [TestCase("sort=priority&after=1", "after")]
    [TestCase("page=0&sort=state", "page")]
    public async Task A_bad_parameter_is_a_400_naming_it_and_what_was_expected(string parameters, string name)
    {
        using var http = await ManagerAsync();

        var page = await http.GetAsync("/queue_job/jobs?" + parameters);
        var json = await http.GetAsync("/queue_job/jobs.json?" + parameters);

        Assert.That(page.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await page.Content.ReadAsStringAsync(), Does.StartWith(name + ": expected "));
        Assert.That(json.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That((await json.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("parameter").GetString(), Is.EqualTo(name));
    }

    [Test]
    public async Task A_user_outside_the_job_queue_managers_gets_403_and_an_anonymous_client_401()
    {
        await Database.ScalarAsync<object>("INSERT INTO res_users (login, name, password) VALUES ('demo', 'Demo', $1)", UserPassword.Hash("demo"));
        using var demo = WebClient();
        await WebForms.LogInAsync(demo, "demo", "demo");
        using var anonymous = WebClient();

        Assert.That((await demo.GetAsync("/queue_job/jobs")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await demo.GetAsync("/queue_job/jobs.json")).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await demo.PostAsJsonAsync("/queue_job/jobs/bulk.json", new { action = "cancel", ids = new[] { 1 } })).StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That((await anonymous.GetAsync("/queue_job/jobs.json")).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await anonymous.PostAsJsonAsync("/queue_job/jobs/bulk.json", new { action = "cancel", ids = new[] { 1 } })).StatusCode, Is.EqualTo(HttpStatusCode.Unauthorized));
        Assert.That((await anonymous.GetAsync("/queue_job/jobs")).StatusCode, Is.EqualTo(HttpStatusCode.Redirect));
    }

    private async Task<HttpClient> ManagerAsync()
    {
        var http = WebClient();
        await WebForms.LogInAsync(http);
        return http;
    }

    private static async Task<JsonElement> JsonAsync(HttpClient http, string url) => await http.GetFromJsonAsync<JsonElement>(url);

    internal static List<string> Uuids(string page) => RowUuid().Matches(page).Select(m => m.Groups[1].Value).ToList();

    private static string? Link(string page, string id) =>
        Regex.Match(page, $"id=\"{id}\" href=\"([^\"]+)\"") is { Success: true } match ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;

    [GeneratedRegex("<tr data-uuid=\"([^\"]+)\"")]
    private static partial Regex RowUuid();
}
