using System.Security.Claims;
using LinqToDB.Async;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using PluginHost.Sdk;

namespace PluginHost.Addons.Web.Internal;

/// <summary>Login, logout and the home page listing the menus.</summary>
internal sealed class LoginRoutes(Database database, PageRenderer pages, string templates) : IWebRoutes
{
    /// <summary>A hash no password matches in practice, checked for an unknown login.</summary>
    private static readonly string UnknownUserHash = UserPassword.Hash(Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)));

    /// <summary>The largest login form read, in bytes; a larger one is refused with 413.</summary>
    private const int LoginBodyLimit = 16 * 1024;

    /// <summary>A login form has three fields (login, password, redirect): a few more are tolerated, many are refused with 400.</summary>
    private static readonly FormOptions LoginForm = new() { ValueCountLimit = 16, KeyLengthLimit = 64, ValueLengthLimit = 4096, MultipartBodyLengthLimit = LoginBodyLimit };

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/", () => Results.Redirect("/web"));
        routes.MapGet("/web", () => pages.PageAsync(Path.Combine(templates, "home.html"), "Home", null)).RequireAuthorization();
        routes.MapGet("/web/login", (string? redirect) => LoginPage(redirect, null));
        routes.MapPost("/web/login", (Func<HttpContext, Task<IResult>>)LoginAsync).DisableAntiforgery().RequireRateLimiting(LoginRateLimit.Policy);
        routes.MapGet("/web/logout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect("/web/login");
        });
    }

    private async Task<IResult> LoginAsync(HttpContext http)
    {
        if (!http.Request.HasFormContentType)
        {
            return Results.BadRequest("The login expects a form (application/x-www-form-urlencoded) with login and password.");
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = LoginBodyLimit;
        }

        IFormCollection form;
        try
        {
            form = await http.Request.ReadFormAsync(LoginForm);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Results.Text($"The login form is larger than {LoginBodyLimit / 1024} KB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        catch (InvalidDataException e)
        {
            return Results.BadRequest($"The login form is not acceptable: {e.Message}");
        }

        var (login, password, redirect) = (form["login"].ToString(), form["password"].ToString(), form["redirect"].ToString());
        await using var env = await database.BeginAsync();
        var user = await env.Query<ResUserRow>()
            .Where(u => u.Login == login && u.Active)
            .Select(u => new { u.Id, u.Password })
            .FirstOrDefaultAsync(env.CancellationToken);
        // An unknown login costs the same hashing as a wrong password, so the answer's time does not tell them apart.
        if (!UserPassword.Verify(password, user is null ? UnknownUserHash : user.Password) || user is null)
        {
            return await LoginPage(redirect, "Wrong login/password");
        }

        var identity = new ClaimsIdentity([new Claim(WebSession.UidClaim, user.Id.ToString()), new Claim(ClaimTypes.Name, login)],
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
