using Microsoft.AspNetCore.Routing;

namespace PluginHost.Addons.Web;

/// <summary>
/// Routes an addon adds to the web server. Register implementations in the addon's
/// <c>ConfigureServices</c>; the web server maps them all when it starts.
/// </summary>
/// <example>
/// <code>
/// services.AddSingleton&lt;IWebRoutes, JobListPages&gt;();
/// </code>
/// </example>
public interface IWebRoutes
{
    /// <summary>Maps the addon's endpoints; use <c>RequireAuthorization()</c> for pages behind the login.</summary>
    void Map(IEndpointRouteBuilder routes);
}
