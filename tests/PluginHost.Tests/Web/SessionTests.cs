using System.Net;
using Microsoft.Extensions.Hosting;
using PluginHost.Host.Configuration;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Web;

/// <summary>Logins are cookie sessions signed with keys kept in the database.</summary>
public sealed class SessionTests : DatabaseTestBase
{
    [Test]
    public async Task A_login_survives_a_restart_of_the_host()
    {
        var options = Database.Options(RepoPaths.Addons) with { ServerWideModules = ["web"] };
        var cookies = new CookieContainer();

        await using (var first = await StartAsync(options))
        {
            using var http = Client(options, cookies);
            await WebForms.LogInAsync(http);
        }

        await using var second = await StartAsync(options);
        using var again = Client(options, cookies);
        var home = await again.GetAsync("/web");

        Assert.That(home.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await Database.ScalarAsync<long>("SELECT count(*) FROM web_data_protection_key"), Is.GreaterThanOrEqualTo(1));
    }

    private static async Task<PluginHost.Host.Hosting.BootedHost> StartAsync(ServerOptions options)
    {
        var host = await TestHost.BootAsync(options);
        await host.Host.StartAsync();
        return host;
    }

    private static HttpClient Client(ServerOptions options, CookieContainer cookies) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = new Uri($"http://{options.HttpInterface}:{options.HttpPort}") };
}
