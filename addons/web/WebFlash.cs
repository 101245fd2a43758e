using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace PluginHost.Addons.Web;

/// <summary>
/// Messages shown once, on the next page the browser renders (after a POST that redirects): "12 requeued, 3
/// skipped: running". Kept in a short-lived protected cookie, so they cannot be forged through a link.
/// </summary>
public static class WebFlash
{
    private const string Cookie = "flash";

    /// <summary>Adds <paramref name="message"/> to the messages of the next page; <paramref name="error"/> shows it as an error.</summary>
    public static void Add(HttpContext http, string message, bool error = false)
    {
        var messages = Pending(http);
        messages.Add(new FlashMessage(message, error));
        http.Items[typeof(WebFlash)] = messages;
        http.Response.Cookies.Append(Cookie, Protector(http).Protect(JsonSerializer.Serialize(messages)),
            new CookieOptions { HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = http.Request.IsHttps, Path = "/", MaxAge = TimeSpan.FromMinutes(5) });
    }

    /// <summary>The messages waiting for this request's page, removed from the browser.</summary>
    internal static IReadOnlyList<FlashMessage> Take(HttpContext http)
    {
        var messages = Pending(http);
        if (http.Request.Cookies.ContainsKey(Cookie))
        {
            http.Response.Cookies.Delete(Cookie, new CookieOptions { Path = "/" });
        }

        return messages;
    }

    private static List<FlashMessage> Pending(HttpContext http)
    {
        if (http.Items.TryGetValue(typeof(WebFlash), out var added) && added is List<FlashMessage> list)
        {
            return list;
        }

        try
        {
            return http.Request.Cookies.TryGetValue(Cookie, out var value)
                ? JsonSerializer.Deserialize<List<FlashMessage>>(Protector(http).Unprotect(value)) ?? []
                : [];
        }
        catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException)
        {
            // A cookie from before a key rotation, or not ours: nothing to show.
            return [];
        }
    }

    private static IDataProtector Protector(HttpContext http) =>
        http.RequestServices.GetRequiredService<IDataProtectionProvider>().CreateProtector("PluginHost.Web.Flash");

    /// <summary>One message, as the layout shows it.</summary>
    internal sealed record FlashMessage(string Text, bool Error);
}
