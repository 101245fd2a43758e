using System.Net;

namespace PluginHost.Tests.Browser;

/// <summary>
/// A forged POST riding the victim's cookies is refused and changes nothing: from another site (its <c>Origin</c>),
/// or without the form's token (issue 12).
/// </summary>
public sealed class ForgeryBrowserTests : BrowserTestBase
{
    private string _uuid = null!;

    private string _token = null!;

    private string _cookies = null!;

    [SetUp]
    public async Task OpenAFailedJobAsync()
    {
        _uuid = await Jobs.FailedAsync("Forgery target", "boom");
        await Page.GotoAsync($"/queue_job/jobs/{_uuid}");
        _token = await Page.Locator("input[name=csrf_token]").First.InputValueAsync();
        _cookies = await CookieHeaderAsync(Page);
    }

    [Test]
    public async Task A_post_from_another_site_with_the_victims_cookie_and_token_is_refused()
    {
        using var http = CookieClient(_cookies);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/queue_job/jobs/{_uuid}/done") { Content = Form(_token) };
        request.Headers.Add("Origin", "http://evil.example");

        var response = await http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await StateAsync(), Is.EqualTo("failed"));
    }

    [Test]
    public async Task A_form_post_without_the_token_is_refused()
    {
        using var http = CookieClient(_cookies);

        var response = await http.PostAsync($"/queue_job/jobs/{_uuid}/done", Form(null));

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Forbidden));
        Assert.That(await StateAsync(), Is.EqualTo("failed"));
    }

    [Test]
    public async Task The_same_post_with_the_token_from_this_site_is_accepted()
    {
        using var http = CookieClient(_cookies);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/queue_job/jobs/{_uuid}/done") { Content = Form(_token) };
        request.Headers.Add("Origin", BaseUrl);

        var response = await http.SendAsync(request);

        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.SeeOther));
        Assert.That(await StateAsync(), Is.EqualTo("done"));
    }

    private static FormUrlEncodedContent Form(string? token) =>
        new(token is null ? [] : [KeyValuePair.Create("csrf_token", token)]);

    private Task<string?> StateAsync() => Database.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", _uuid);
}
