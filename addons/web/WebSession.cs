using System.Security.Claims;
using Microsoft.AspNetCore.Http;

namespace PluginHost.Addons.Web;

/// <summary>The logged-in user of a request.</summary>
public static class WebSession
{
    /// <summary>Claim type holding the <c>res_users.id</c> of the session.</summary>
    public const string UidClaim = "uid";

    /// <summary>The id of the logged-in user; the caller must have required authorization.</summary>
    public static long Uid(this HttpContext context) =>
        long.Parse(context.User.FindFirstValue(UidClaim) ?? throw new InvalidOperationException("The request has no logged-in user."));
}
