using System.Net;
using System.Text.RegularExpressions;

namespace PluginHost.Tests.Support;

/// <summary>Posts forms as a browser does: with the antiforgery token of a page of the site (the client must keep cookies).</summary>
internal static partial class WebForms
{
    /// <summary>The <c>csrf_token</c> of the first form of <paramref name="page"/>.</summary>
    public static async Task<string> TokenAsync(HttpClient http, string page = "/web/login")
    {
        var html = await http.GetStringAsync(page);
        var match = TokenField().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new AssertionException($"{page} has no csrf_token field");
    }

    /// <summary>Posts <paramref name="fields"/> to <paramref name="path"/> with the token of <paramref name="page"/>.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, IEnumerable<KeyValuePair<string, string>> fields, string page = "/web/login")
    {
        var token = await TokenAsync(http, page);
        return await http.PostAsync(path, new FormUrlEncodedContent([.. fields, KeyValuePair.Create("csrf_token", token)]));
    }

    /// <summary>Logs in (the session cookie stays in the client's container) and checks it worked.</summary>
    public static async Task LogInAsync(HttpClient http, string login = "admin", string password = "admin")
    {
        var response = await PostAsync(http, "/web/login", new Dictionary<string, string> { ["login"] = login, ["password"] = password });
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Redirect), $"logged in as {login}");
    }

    [GeneratedRegex("name=\"csrf_token\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}
