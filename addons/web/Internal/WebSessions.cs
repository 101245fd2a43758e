using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.DependencyInjection;
using PluginHost.Sdk;

namespace PluginHost.Addons.Web.Internal;

/// <summary>
/// Server-side sessions (<c>web_session</c> of the session's database): a login opens one, named in the cookie; every
/// request checks that it is still open and its user active; logout, a password change and a deactivation close it.
/// </summary>
internal static class WebSessions
{
    /// <summary>Claim type holding the session id.</summary>
    public const string SidClaim = "sid";

    /// <summary>How long a session lasts without a request (the cookie's sliding expiry); older rows are deleted at the next login.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(14);

    private const string Open = "INSERT INTO web_session (sid, uid) VALUES ($1, $2)";

    private const string DeleteExpired = "DELETE FROM web_session WHERE created < now() - make_interval(secs => $1)";

    private const string IsOpen = """
        SELECT EXISTS (SELECT 1 FROM web_session s JOIN res_users u ON u.id = s.uid AND u.active WHERE s.sid = $1 AND s.uid = $2)
        """;

    /// <summary>Opens a session of <paramref name="uid"/> in <paramref name="database"/>; its id goes into the cookie.</summary>
    public static async Task<string> OpenAsync(Database database, long uid, CancellationToken cancellationToken)
    {
        var sid = Convert.ToHexString(RandomNumberGenerator.GetBytes(32));
        await using var env = await database.BeginAsync(cancellationToken: cancellationToken);
        await env.ExecuteAsync(DeleteExpired, Lifetime.TotalSeconds);
        await env.ExecuteAsync(Open, sid, uid);
        await env.CommitAsync();
        return sid;
    }

    /// <summary>Closes session <paramref name="sid"/> of <paramref name="database"/>.</summary>
    public static async Task CloseAsync(Database database, string sid, CancellationToken cancellationToken)
    {
        await using var env = await database.BeginAsync(cancellationToken: cancellationToken);
        await env.ExecuteAsync("DELETE FROM web_session WHERE sid = $1", sid);
        await env.CommitAsync();
    }

    /// <summary>The cookie handler's check of every request: a cookie whose session was closed, or whose user was deactivated, logs out.</summary>
    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var sid = principal?.FindFirst(SidClaim)?.Value;
        var database = WebDatabase.Named(context.HttpContext.RequestServices.GetRequiredService<IServedDatabases>(),
            principal?.FindFirst(WebDatabase.DatabaseClaim)?.Value);
        var open = sid is not null && database is not null && long.TryParse(principal!.FindFirst(WebSession.UidClaim)?.Value, out var uid)
            && await IsOpenAsync(database, sid, uid, context.HttpContext.RequestAborted);
        if (!open)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        }
    }

    private static async Task<bool> IsOpenAsync(Database database, string sid, long uid, CancellationToken cancellationToken)
    {
        await using var env = await database.BeginAsync(cancellationToken: cancellationToken);
        return await env.ScalarAsync<bool>(IsOpen, sid, uid);
    }
}
