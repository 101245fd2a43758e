using Microsoft.Extensions.Configuration;

namespace PluginHost.Addons.Web.Internal;

/// <summary>
/// <c>[web] proxy_mode</c> (Odoo's option of that name): behind a reverse proxy on this machine, the client's address,
/// scheme and host come from its <c>X-Forwarded-For</c>, <c>-Proto</c> and <c>-Host</c> headers, so the session cookie is
/// <c>Secure</c> when the browser spoke HTTPS to the proxy and the login limit counts each client. Only a proxy on a
/// loopback address is believed.
/// </summary>
internal sealed record ProxyMode(bool Enabled)
{
    /// <summary>The setting of <c>[web]</c>; anything but true or false is an error naming the key.</summary>
    public static ProxyMode From(IConfigurationSection section) => section["proxy_mode"]?.Trim().ToLowerInvariant() switch
    {
        null or "" or "false" or "0" or "no" => new ProxyMode(false),
        "true" or "1" or "yes" => new ProxyMode(true),
        var other => throw new ArgumentException($"[web] proxy_mode: expected true or false, got '{other}'."),
    };
}
