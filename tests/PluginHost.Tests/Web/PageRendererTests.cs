using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Addons.Web;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Web;

/// <summary>Templates escape every value they write; markup goes out raw only where a template says so (issue 12, item 6).</summary>
public sealed class PageRendererTests
{
    private const string Hostile = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>";

    private string _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = Directory.CreateTempSubdirectory("pluginhost-templates-").FullName;

    [TearDown]
    public void DeleteFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public async Task A_value_is_escaped_without_any_pipe_and_markup_is_raw_only_when_asked()
    {
        var page = Template("page.html", "<p title=\"{{ value }}\">{{ value }}</p><div>{{ markup | raw }}</div>");
        var renderer = new PageRenderer(Template("layout.html", "{{ content | raw }}"), []);

        var html = await renderer.RenderAsync(page, new { Value = Hostile, Markup = "<b>bold</b>" });

        Assert.That(html, Does.Not.Contain("<script").And.Not.Contain("<img"));
        Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"));
        Assert.That(html, Does.Contain("<div><b>bold</b></div>"));
    }

    [Test]
    public async Task The_login_page_shows_a_hostile_redirect_as_text()
    {
        var web = Path.Combine(RepoPaths.Addons, "web", "templates");
        var renderer = new PageRenderer(Path.Combine(web, "layout.html"), [new WebMenu("<i>menu</i>", "/x\"y")]);

        var http = Request();
        var result = await renderer.PageAsync(http, Path.Combine(web, "login.html"), Hostile, new { Redirect = Hostile, Error = Hostile, Databases = new[] { Hostile } });
        var html = await BodyAsync(result, http);

        Assert.That(html, Does.Not.Contain("<script").And.Not.Contain("<img"));
        Assert.That(html, Does.Not.Contain("menu"), "nobody is logged in: no menu");
        Assert.That(html, Does.Contain("<form"), "the layout's and the page's own markup is kept");
        Assert.That(html, Does.Match("name=\"csrf_token\" value=\"[^\"]{20,}\""), "the login form carries an antiforgery token");
    }

    private string Template(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private static Microsoft.AspNetCore.Http.DefaultHttpContext Request() => new()
    {
        RequestServices = new ServiceCollection().AddSingleton<ILoggerFactory>(NullLoggerFactory.Instance).AddLogging().AddAntiforgery().AddDataProtection().Services
            .BuildServiceProvider(),
    };

    private static async Task<string> BodyAsync(Microsoft.AspNetCore.Http.IResult result, Microsoft.AspNetCore.Http.DefaultHttpContext http)
    {
        http.Response.Body = new MemoryStream();
        await result.ExecuteAsync(http);
        http.Response.Body.Position = 0;
        return await new StreamReader(http.Response.Body).ReadToEndAsync();
    }
}
