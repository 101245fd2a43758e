using Microsoft.AspNetCore.Http;

namespace PluginHost.Addons.Web.Internal;

/// <summary>
/// The headers every answer carries: no script but the server's own files (no inline script, no other origin), no
/// framing by any page (clickjacking), no content-type sniffing, and no full URL leaked to other sites.
/// </summary>
internal static class SecurityHeaders
{
    /// <summary>Inline styles stay allowed: the layout's stylesheet is inline, and a style cannot run code.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; object-src 'none'; " +
        "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    /// <summary>Adds the headers to the response of <paramref name="http"/> before its first byte goes out.</summary>
    public static Task AddAsync(HttpContext http, Func<Task> next)
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next();
    }
}
