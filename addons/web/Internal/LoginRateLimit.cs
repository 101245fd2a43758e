using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace PluginHost.Addons.Web.Internal;

/// <summary>
/// Login attempts per client address: <see cref="PermitLimit"/> a minute, every POST counted before anything else is
/// checked; more are answered 429 with <c>Retry-After</c>, so a password cannot be guessed at network speed.
/// </summary>
internal static class LoginRateLimit
{
    /// <summary>The name of the policy the login route requires.</summary>
    public const string Policy = "login";

    /// <summary>Attempts a client address may make per <see cref="Window"/>.</summary>
    public const int PermitLimit = 10;

    /// <summary>The window the attempts are counted in.</summary>
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Adds the policy to the web server's services.</summary>
    public static IServiceCollection AddLoginRateLimit(this IServiceCollection services) => services.AddRateLimiter(limiter =>
    {
        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        limiter.AddPolicy(Policy, http => RateLimitPartition.GetFixedWindowLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = PermitLimit, Window = Window, QueueLimit = 0 }));
        limiter.OnRejected = async (rejected, cancellationToken) =>
        {
            var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Window;
            var response = rejected.HttpContext.Response;
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            response.ContentType = "text/plain; charset=utf-8";
            await response.WriteAsync($"Too many login attempts from this address: at most {PermitLimit} a minute. Try again after Retry-After seconds.", cancellationToken);
        };
    });
}
