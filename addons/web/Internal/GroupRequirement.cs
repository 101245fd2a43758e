using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;

namespace PluginHost.Addons.Web.Internal;

/// <summary>An endpoint's requirement that the user belongs to a group (<see cref="WebAccess.RequireGroup{TBuilder}"/>).</summary>
internal sealed record GroupRequirement(string Group) : IAuthorizationRequirement;

/// <summary>Meets <see cref="GroupRequirement"/> from the user's groups, read once per request.</summary>
internal sealed class GroupAuthorizationHandler : AuthorizationHandler<GroupRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, GroupRequirement requirement)
    {
        if (context.Resource is HttpContext http && await http.HasGroupAsync(requirement.Group))
        {
            context.Succeed(requirement);
        }
    }
}
