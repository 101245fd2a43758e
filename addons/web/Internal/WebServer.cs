using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PluginHost.Sdk;

namespace PluginHost.Addons.Web.Internal;

/// <summary>Kestrel serving every addon's routes, with cookie sessions; started and stopped with the host.</summary>
internal sealed class WebServer(HostSettings settings, Database database, IServedDatabases served, IEnumerable<IWebRoutes> routes, IEnumerable<WebStaticFiles> staticFiles,
    MetricsAccess metricsAccess, ProxyMode proxyMode, ILoggerFactory loggerFactory, IMeterFactory meters)
    : IHostedService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<WebServer>();
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(WebServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        // ASP.NET Core's meters are made by the host's factory, so the host's exporter (and OpenTelemetry) sees them.
        builder.Services.AddSingleton(meters);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Parse(settings.HttpInterface), settings.HttpPort);
            if (metricsAccess.Port is { } metricsPort)
            {
                kestrel.Listen(IPAddress.Parse(settings.HttpInterface), metricsPort);
            }
        });
        builder.Services.AddSingleton(served);
        builder.Services.AddDataProtection().SetApplicationName("pluginhost")
            .AddKeyManagementOptions(keys => keys.XmlRepository = new DatabaseKeyRepository(database));
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.Cookie.Name = "session_id";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.LoginPath = "/web/login";
            cookie.LogoutPath = "/web/logout";
            cookie.ReturnUrlParameter = "redirect";
            cookie.ExpireTimeSpan = WebSessions.Lifetime;
            cookie.SlidingExpiration = true;
            cookie.Events.OnValidatePrincipal = WebSessions.ValidateAsync;
            // JSON and other non-page requests get a status, not the login page; a user without the group gets 403.
            cookie.Events.OnRedirectToLogin = context => AnswerOrRedirect(context, StatusCodes.Status401Unauthorized);
            cookie.Events.OnRedirectToAccessDenied = context => AnswerOrRedirect(context, StatusCodes.Status403Forbidden);
        });
        builder.Services.AddAntiforgery(antiforgery =>
        {
            antiforgery.FormFieldName = "csrf_token";
            antiforgery.HeaderName = "X-CSRF-Token";
            antiforgery.Cookie.Name = "csrf";
            antiforgery.Cookie.SameSite = SameSiteMode.Strict;
        });
        builder.Services.AddAuthorization();
        builder.Services.AddSingleton<IAuthorizationHandler, GroupAuthorizationHandler>();
        builder.Services.AddLoginRateLimit();

        _app = builder.Build();
        if (proxyMode.Enabled)
        {
            _app.UseForwardedHeaders(new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost });
        }

        _app.Use(SecurityHeaders.AddAsync);
        _app.UseExceptionHandler(errors => errors.Run(AnswerFailureAsync));
        _app.UseStatusCodePages(AnswerEmptyErrorAsync);
        _app.UseRateLimiter();
        foreach (var files in staticFiles.Where(f => Directory.Exists(f.Directory)))
        {
            _app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(files.Directory), RequestPath = $"/{files.Addon}/static" });
        }

        _app.UseAuthentication();
        // After the rate limiter, so that every login POST counts, whether its token is good or not.
        _app.Use(RequestForgeryCheck.CheckAsync);
        _app.UseAuthorization();
        foreach (var route in routes)
        {
            route.Map(_app);
        }

        try
        {
            await _app.StartAsync(cancellationToken);
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            throw new HostStartException(
                $"HTTP port {settings.HttpInterface}:{settings.HttpPort} is already in use by another process: stop it, or choose another port (--http-port, http_port).", e);
        }

        _logger.LogInformation("HTTP service running on {Interface}:{Port}", settings.HttpInterface, settings.HttpPort);
        if (metricsAccess is { Port: null, Token: null })
        {
            _logger.LogInformation("/metrics is not published: set [web] metrics_port (a port of its own) or metrics_token (a bearer token) to scrape it");
        }
    }

    /// <summary>
    /// A page request (GET of a page, not of <c>.json</c>) goes to the login page, or gets a 403 page; any other request
    /// gets the bare status.
    /// </summary>
    private static Task AnswerOrRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        var request = context.Request;
        if (status == StatusCodes.Status401Unauthorized && HttpMethods.IsGet(request.Method) && !request.Path.Value!.EndsWith(".json", StringComparison.Ordinal))
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }

        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }

    /// <summary>A request that failed: logged with its error, answered with a short text naming the request, never an empty 500.</summary>
    private async Task AnswerFailureAsync(HttpContext http)
    {
        var error = http.Features.Get<IExceptionHandlerFeature>()?.Error;
        _logger.LogError(error, "{Method} {Path} failed (trace {Trace})", http.Request.Method, http.Request.Path, http.TraceIdentifier);
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync($"{http.Request.Method} {http.Request.Path} failed on the server; its log names the error (trace {http.TraceIdentifier}).");
    }

    /// <summary>An error status without a body (an unknown path, a route constraint not met) gets a short text saying what it means.</summary>
    private static async Task AnswerEmptyErrorAsync(StatusCodeContext context)
    {
        var response = context.HttpContext.Response;
        var request = context.HttpContext.Request;
        response.ContentType = "text/plain; charset=utf-8";
        await response.WriteAsync(response.StatusCode == StatusCodes.Status404NotFound
            ? $"No page at {request.Method} {request.Path}."
            : $"{response.StatusCode} {ReasonPhrases.GetReasonPhrase(response.StatusCode)}: {request.Method} {request.Path}.");
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
            await _app.DisposeAsync();
        }
    }
}
