using System.Security.Claims;
using LinqToDB.Async;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PluginHost.Sdk;

namespace PluginHost.Addons.Web.Internal;

/// <summary>Login, logout and the home page listing the menus.</summary>
internal sealed class LoginRoutes(PageRenderer pages, string templates) : IWebRoutes
{
    /// <summary>A hash no password matches in practice, checked for an unknown login.</summary>
    private static readonly string UnknownUserHash = UserPassword.Hash(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));

    /// <summary>The largest login form read, in bytes; a larger one is refused with 413.</summary>
    private const int LoginBodyLimit = 16 * 1024;

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", () => Results.Redirect("/web"));
        routes.MapGet("/web", (Func<HttpContext, Task<IResult>>)(http => pages.PageAsync(http, Path.Combine(templates, "home.html"), "Home", null))).RequireAuthorization();
        routes.MapGet("/web/login", (HttpContext http, string? redirect) => LoginPage(http, redirect, null));
        // A login form has three fields (login, password, redirect) and the token: a few more are tolerated, many are refused with 400.
        routes.MapPost("/web/login", (Func<HttpContext, Task<IResult>>)LoginAsync).RequireRateLimiting(LoginRateLimit.Policy)
            .WithFormOptions(valueCountLimit: 16, keyLengthLimit: 64, valueLengthLimit: 4096, multipartBodyLengthLimit: LoginBodyLimit)
            .WithMetadata(new RequestSizeLimitAttribute(LoginBodyLimit));
        routes.MapPost("/web/logout", (Func<HttpContext, Task<IResult>>)LogoutAsync);
    }

    /// <summary>Closes the session on the server, so the cookie is worth nothing even if it was copied.</summary>
    private static async Task<IResult> LogoutAsync(HttpContext http)
    {
        if (http.User.FindFirst(WebSessions.SidClaim)?.Value is { } sid)
        {
            await WebSessions.CloseAsync(http.Database(), sid, http.RequestAborted);
        }

        await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        return Results.Redirect("/web/login");
    }

    private async Task<IResult> LoginAsync(HttpContext http)
    {
        if (!http.Request.HasFormContentType)
        {
            return Results.BadRequest("The login expects a form (application/x-www-form-urlencoded) with login and password.");
        }

        // Read (within the limits above) by the forgery check already.
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var (login, password, redirect) = (form["login"].ToString(), form["password"].ToString(), form["redirect"].ToString());
        var served = http.RequestServices.GetRequiredService<IServedDatabases>();
        var name = form["db"].ToString() is { Length: > 0 } chosen ? chosen : served.Primary.Name;
        var database = (await served.ListAsync(http.RequestAborted)).Contains(name) ? served.Open(name) : null;
        if (database is null)
        {
            return await LoginPage(http, redirect, $"No database '{name}' is served here");
        }

        await using var env = await database.BeginAsync();
        var user = await env.Query<ResUserRow>()
            .Where(u => u.Login == login && u.Active)
            .Select(u => new { u.Id, u.Password })
            .FirstOrDefaultAsync(env.CancellationToken);
        // An unknown login costs the same hashing as a wrong password, so the answer's time does not tell them apart.
        if (!UserPassword.Verify(password, user is null ? UnknownUserHash : user.Password) || user is null)
        {
            return await LoginPage(http, redirect, "Wrong login/password");
        }

        var sid = await WebSessions.OpenAsync(database, user.Id, http.RequestAborted);
        var identity = new ClaimsIdentity(
            [new Claim(WebSession.UidClaim, user.Id.ToString()), new Claim(ClaimTypes.Name, login), new Claim(WebSessions.SidClaim, sid),
             new Claim(WebDatabase.DatabaseClaim, database.Name)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return Results.Redirect(IsLocal(redirect) ? redirect : "/web");
    }

    /// <summary>The login form; with several databases served, a selector of them (the node's own first).</summary>
    private async Task<IResult> LoginPage(HttpContext http, string? redirect, string? error)
    {
        var databases = await http.RequestServices.GetRequiredService<IServedDatabases>().ListAsync(http.RequestAborted);
        return await pages.PageAsync(http, Path.Combine(templates, "login.html"), "Log in",
            new { Redirect = redirect ?? "", Error = error ?? "", Databases = databases.Count > 1 ? databases : [] },
            error is null ? StatusCodes.Status200OK : StatusCodes.Status401Unauthorized);
    }

    /// <summary>A path on this site: starts with one '/', and no control character a browser would strip into "//host".</summary>
    private static bool IsLocal(string? url) =>
        url is { Length: > 0 } && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl);
}
