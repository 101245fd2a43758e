using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PluginHost.Addons.Web.Internal;

namespace PluginHost.Addons.Web;

/// <summary>
/// Who may see what, as in Odoo: the groups (<c>res.groups</c> records, named by external id such as
/// <c>queue_job.group_queue_job_manager</c>) the logged-in user belongs to.
/// </summary>
/// <example>
/// <code>
/// routes.MapGet("/shop/orders", ListAsync).RequireGroup("shop.group_shop_manager");
/// </code>
/// </example>
public static class WebAccess
{
    /// <summary>The administrators' group: they read every model and manage users.</summary>
    public const string SystemGroup = "base.group_system";

    /// <summary>Lets only logged-in members of <paramref name="group"/> in: others get 403, anonymous requests the login.</summary>
    public static TBuilder RequireGroup<TBuilder>(this TBuilder endpoint, string group) where TBuilder : IEndpointConventionBuilder =>
        endpoint.RequireAuthorization(policy => policy.RequireAuthenticatedUser().AddRequirements(new GroupRequirement(group)));

    /// <summary>Whether the logged-in user of <paramref name="http"/> belongs to <paramref name="group"/>; false when nobody is logged in.</summary>
    public static async Task<bool> HasGroupAsync(this HttpContext http, string group) => (await GroupsAsync(http)).Contains(group);

    /// <summary>The external ids of the groups of the logged-in user, read once per request; empty when nobody is logged in.</summary>
    public static async Task<IReadOnlySet<string>> GroupsAsync(this HttpContext http)
    {
        if (http.Items.TryGetValue(typeof(WebAccess), out var known) && known is IReadOnlySet<string> groups)
        {
            return groups;
        }

        groups = http.User.Identity?.IsAuthenticated == true
            ? await UserGroups.ReadAsync(http.Database(), http.Uid(), http.RequestAborted)
            : new HashSet<string>();
        http.Items[typeof(WebAccess)] = groups;
        return groups;
    }
}
