using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PluginHost.Sdk;

namespace PluginHost.Addons.Web.Internal;

/// <summary>Login, logout and the home page listing the menus.</summary>
internal sealed class LoginRoutes(Database database, PageRenderer pages, string templates) : IWebRoutes
{
    private const string FindUser = "SELECT id, password FROM res_users WHERE login = $1 AND active";

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", () => Results.Redirect("/web"));
        routes.MapGet("/web", () => pages.PageAsync(Path.Combine(templates, "home.html"), "Home", null)).RequireAuthorization();
        routes.MapGet("/web/login", (string? redirect) => LoginPage(redirect, null));
        routes.MapPost("/web/login", (Func<HttpContext, Task<IResult>>)LoginAsync).DisableAntiforgery();
        routes.MapGet("/web/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/web/login");
        });
    }

    private async Task<IResult> LoginAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync();
        var (login, password, redirect) = (form["login"].ToString(), form["password"].ToString(), form["redirect"].ToString());
        await using var env = await database.BeginAsync();
        await using var command = env.CreateCommand(FindUser, login);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync() || !UserPassword.Verify(password, reader.IsDBNull(1) ? null : reader.GetString(1)))
        {
            return await LoginPage(redirect, "Wrong login/password");
        }

        var identity = new ClaimsIdentity([new Claim(WebSession.UidClaim, reader.GetInt64(0).ToString()), new Claim(ClaimTypes.Name, login)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return Results.Redirect(IsLocal(redirect) ? redirect : "/web");
    }

    private Task<IResult> LoginPage(string? redirect, string? error) =>
        pages.PageAsync(Path.Combine(templates, "login.html"), "Log in", new { Redirect = redirect ?? "", Error = error ?? "" },
            error is null ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized);

    /// <summary>A path on this site: starts with one '/', and no control character a browser would strip into "//host".</summary>
    private static bool IsLocal(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl);
}
