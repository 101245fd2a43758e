using System.Net;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Web;

/// <summary>
/// The Job Functions screens (issue 12, item 4): a manager edits a function's channel, retry pattern and related action;
/// a wrong value is named on the form and nothing is stored; the form says which addon declares the function.
/// </summary>
public sealed class FunctionFormTests : RunningHostTestBase
{
    private const string Function = "<test.queue.job>.FailRetryable";

    protected override string Channels => "root:0";

    [Test]
    public async Task A_bad_retry_pattern_is_named_on_the_form_and_nothing_is_stored()
    {
        var (http, id, page) = await OpenFormAsync();
        var before = await StoredAsync(id);

        var response = await WebForms.PostAsync(http, page, Fields(before.ChannelId, """{"1": "ten"}"""), page);
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(html, Does.Contain("id=\"error-retry_pattern\"").And.Contain("Retry pattern:").And.Contain("expected seconds or [min, max]"), html);
        Assert.That(html, Does.Not.Contain("id=\"error-channel_id\""));
        Assert.That(await StoredAsync(id), Is.EqualTo(before));
    }

    [Test]
    public async Task A_retry_pattern_that_is_not_json_and_an_unknown_channel_are_both_named()
    {
        var (http, id, page) = await OpenFormAsync();
        var before = await StoredAsync(id);

        var response = await WebForms.PostAsync(http, page, Fields(999999, "{1: 10"), page);
        var html = await response.Content.ReadAsStringAsync();

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(html, Does.Contain("Retry pattern: not JSON").And.Contain("Channel: expected one of the channels listed, got &#39;999999&#39;"), html);
        Assert.That(await StoredAsync(id), Is.EqualTo(before));
    }

    [Test]
    public async Task A_good_form_is_stored_and_the_form_says_who_declares_the_function()
    {
        var (http, id, page) = await OpenFormAsync();
        var root = await Database.ScalarAsync<long>("SELECT id FROM queue_job_channel WHERE complete_name = 'root'");

        var response = await WebForms.PostAsync(http, page, Fields(root, """{"1": 10, "5": 60}""", """{"enable": false}"""), page);
        var after = await http.GetStringAsync(page);

        Assert.That((response.StatusCode, response.Headers.Location?.OriginalString), Is.EqualTo((HttpStatusCode.Redirect, page)));
        Assert.That(await StoredAsync(id), Is.EqualTo((root, "root", """{"1": 10, "5": 60}""", """{"enable": false}""")));
        Assert.That(after, Does.Contain("declared by test_queue_job; an update of test_queue_job resets these fields").And.Contain("Saved job function"));
    }

    [Test]
    public async Task The_lists_show_functions_and_channels_with_the_addons_declaring_them()
    {
        var (http, _, _) = await OpenFormAsync();

        var functions = await http.GetStringAsync("/queue_job/functions");
        var channels = await http.GetStringAsync("/queue_job/channels");

        Assert.That(functions, Does.Contain("&lt;test.queue.job&gt;.FailRetryable").And.Contain("root.sub"));
        Assert.That(channels, Does.Contain("<tr data-channel=\"root.sub\">").And.Contain("test_queue_job").And.Contain("<div id=\"live\""));
    }

    private async Task<(HttpClient Http, long Id, string Page)> OpenFormAsync()
    {
        var http = WebClient();
        await WebForms.LogInAsync(http);
        var id = await Database.ScalarAsync<long>("SELECT id FROM queue_job_function WHERE name = $1", Function);
        var page = $"/queue_job/functions/{id}";
        Assert.That((await http.GetAsync(page)).StatusCode, Is.EqualTo(HttpStatusCode.OK));
        return (http, id, page);
    }

    private static Dictionary<string, string> Fields(long channel, string retryPattern, string relatedAction = "") => new()
    {
        ["channel_id"] = channel.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["retry_pattern"] = retryPattern,
        ["related_action"] = relatedAction,
    };

    private async Task<(long ChannelId, string Channel, string RetryPattern, string RelatedAction)> StoredAsync(long id)
    {
        await using var connection = await Database.ConnectAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT channel_id, channel, retry_pattern::text, related_action::text FROM queue_job_function WHERE id = $1", connection) { Parameters = { new() { Value = id } } };
        await using var reader = await command.ExecuteReaderAsync();
        Assert.That(await reader.ReadAsync(), Is.True);
        return (reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3));
    }
}
