using System.Net;
using System.Text.RegularExpressions;
using PluginHost.Addons.QueueJob;
using PluginHost.Host.Hosting;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Web;

/// <summary>Jobs for the job page tests, stored through the delay API and put in the state a test needs with SQL.</summary>
internal static partial class JobPageFixtures
{
    /// <summary>Text a page must show as text, never as markup.</summary>
    public const string Hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";

    /// <summary>A job of <c>test.queue.job</c>, put in <paramref name="state"/>; a failed one gets an exception and a traceback.</summary>
    public static async Task<string> JobAsync(BootedHost host, TestDatabase database, string state, string description = "a job", string traceback = "Traceback: boom")
    {
        await using var env = await host.Database.BeginAsync();
        var records = env.Model<TestQueueJobModel>();
        var record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = description }));
        var job = await record.WithDelay(description: description).EnqueueAsync(x => x.AppendNoteAsync("x"));
        await env.CommitAsync();
        await database.ScalarAsync<object>("""
            UPDATE queue_job
            SET state = $2,
                exc_name = CASE WHEN $2 = 'failed' THEN 'InvalidOperationException' END,
                exc_message = CASE WHEN $2 = 'failed' THEN $3 END,
                exc_info = CASE WHEN $2 = 'failed' THEN $4 END,
                date_done = CASE WHEN $2 = 'done' THEN clock_timestamp() END
            WHERE uuid = $1
            """, job.Uuid, state, description, traceback);
        return job.Uuid;
    }

    /// <summary>A chain A → B → C, as name → uuid.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> ChainAsync(BootedHost host, TestDatabase database, params string[] names)
    {
        await using var env = await host.Database.BeginAsync();
        var records = env.Model<TestQueueJobModel>();
        var nodes = new List<DelayableNode>();
        foreach (var name in names)
        {
            var record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = name }));
            nodes.Add(record.Delayable(description: name).Call(x => x.FailWhenNotedAsync(name)));
        }

        await JobGraph.Chain([.. nodes]).DelayAsync();
        await env.CommitAsync();
        var uuids = await database.ColumnAsync<string>("SELECT uuid FROM queue_job WHERE name = ANY($1) ORDER BY array_position($1, name)", new object[] { names });
        return names.Zip(uuids).ToDictionary(p => p.First, p => p.Second);
    }

    /// <summary>A logged-in user outside the Job Queue managers.</summary>
    public static async Task LogInAsNonManagerAsync(HttpClient http, TestDatabase database)
    {
        await database.ScalarAsync<object>("INSERT INTO res_users (login, name, password, active) VALUES ('clerk', 'Clerk', $1, true)",
            UserPassword.Hash("clerk-password"));
        await WebForms.LogInAsync(http, "clerk", "clerk-password");
    }

    /// <summary>Follows a 303 from an action and returns the page it leads to.</summary>
    public static async Task<string> FollowAsync(HttpClient http, HttpResponseMessage response)
    {
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther), await response.Content.ReadAsStringAsync());
        return await http.GetStringAsync(response.Headers.Location);
    }

    /// <summary>The job action buttons of a page (requeue, cancel, set-done), in order.</summary>
    public static IReadOnlyList<string> Buttons(string html) => ButtonId().Matches(html).Select(m => m.Groups[1].Value).ToList();

    /// <summary>The page's flash messages, as text.</summary>
    public static IReadOnlyList<string> Flashes(string html) =>
        Flash().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[2].Value) + (m.Groups[1].Value.Length > 0 ? " (error)" : "")).ToList();

    [GeneratedRegex("<button id=\"(requeue|cancel|set-done)\"")]
    private static partial Regex ButtonId();

    [GeneratedRegex("<p class=\"flash( flash-error)?\" role=\"status\">([^<]*)</p>")]
    private static partial Regex Flash();
}
