using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;

namespace PluginHost.Addons.Web.Internal;

/// <summary>
/// Who may scrape <c>/metrics</c>: nobody on the public port by default. <c>[web] metrics_port</c> serves it on a port of
/// its own (on the HTTP interface; keep that port off the internet), <c>[web] metrics_token</c> on the public port to
/// requests carrying <c>Authorization: Bearer TOKEN</c> (Prometheus' <c>authorization</c> setting). Both may be set.
/// </summary>
internal sealed record MetricsAccess(int? Port, string? Token)
{
    /// <summary>The settings of <c>[web]</c>; a bad port is an error naming the key and what is expected.</summary>
    public static MetricsAccess From(IConfigurationSection section)
    {
        int? port = null;
        if (section["metrics_port"] is { Length: > 0 } text)
        {
            port = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is > 0 and <= 65535
                ? value
                : throw new ArgumentException($"[web] metrics_port: expected a port number (1-65535), got '{text}'.");
        }

        var token = section["metrics_token"];
        return new MetricsAccess(port, string.IsNullOrEmpty(token) ? null : token);
    }

    /// <summary>Whether <paramref name="http"/> may read the metrics: it came in on the metrics port, or carries the token.</summary>
    public bool Allows(HttpContext http)
    {
        if (Port is { } port && http.Connection.LocalPort == port)
        {
            return true;
        }

        var header = http.Request.Headers.Authorization.ToString();
        return Token is not null && header.StartsWith("Bearer ", StringComparison.Ordinal)
            && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header["Bearer ".Length..]), Encoding.UTF8.GetBytes(Token));
    }
}
