using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PluginHost.Sdk;

namespace PluginHost.Addons.Web;

/// <summary>
/// The database a request works on. A node serving several databases (<c>--db-filter</c>) lets a user choose one at
/// login, as Odoo's database selector does; the session is of that database (its users, its groups, its jobs). Pages
/// open their transactions on <c>http.Database()</c>, never on a database of their own.
/// </summary>
public static class WebDatabase
{
    /// <summary>Claim type holding the name of the session's database.</summary>
    public const string DatabaseClaim = "db";

    /// <summary>The session's database, or the node's own (<c>-d</c>) for a request without a session.</summary>
    public static Database Database(this HttpContext http)
    {
        var name = http.User.FindFirst(DatabaseClaim)?.Value;
        return Named(http.RequestServices.GetRequiredService<IServedDatabases>(), name)
            ?? throw new InvalidOperationException($"The session's database '{name}' is no longer served by this node.");
    }

    /// <summary>The database a session names (null: the node's own), or null when this node no longer serves it.</summary>
    internal static Database? Named(IServedDatabases served, string? name) =>
        name is null || name == served.Primary.Name ? served.Primary : served.Open(name);
}
