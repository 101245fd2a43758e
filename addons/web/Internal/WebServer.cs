using System.Net;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PluginHost.Sdk;

namespace PluginHost.Addons.Web.Internal;

/// <summary>Kestrel serving every addon's routes, with cookie sessions; started and stopped with the host.</summary>
internal sealed class WebServer(HostSettings settings, Database database, IEnumerable<IWebRoutes> routes, ILoggerFactory loggerFactory) : IHostedService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger<WebServer>();
    private WebApplication? _app;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(WebServer).Assembly.GetName().Name });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Parse(settings.HttpInterface), settings.HttpPort));
        builder.Services.AddDataProtection().SetApplicationName("pluginhost")
            .AddKeyManagementOptions(keys => keys.XmlRepository = new DatabaseKeyRepository(database));
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.Cookie.Name = "session_id";
            cookie.LoginPath = "/web/login";
            cookie.LogoutPath = "/web/logout";
            cookie.ReturnUrlParameter = "redirect";
        });
        builder.Services.AddAuthorization();

        _app = builder.Build();
        _app.UseAuthentication();
        _app.UseAuthorization();
        foreach (var route in routes)
        {
            route.Map(_app);
        }

        await _app.StartAsync(cancellationToken);
        _logger.LogInformation("HTTP service running on {Interface}:{Port}", settings.HttpInterface, settings.HttpPort);
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
