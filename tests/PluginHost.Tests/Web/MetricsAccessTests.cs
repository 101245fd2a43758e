using System.Net;
using System.Net.Sockets;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Web;

/// <summary><c>/metrics</c> is off the public port unless the scraper brings the token, or comes in on the metrics port (issue 12, item 6).</summary>
public sealed class MetricsAccessTests : DatabaseTestBase
{
    [Test]
    public async Task The_public_port_answers_404_without_the_token_and_the_metrics_with_it()
    {
        var options = Database.Options(RepoPaths.Addons) with { ServerWideModules = ["web"] };
        await using var host = await TestHost.BootAsync(options, new Dictionary<string, string?> { ["web:metrics_token"] = "s3cret" });
        await host.Host.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://{options.HttpInterface}:{options.HttpPort}") };

        var anonymous = await http.GetAsync("/metrics");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new("Bearer", "guess") } };
        using var right = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new("Bearer", "s3cret") } };

        Assert.That(anonymous.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That((await http.SendAsync(wrong)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var scraped = await http.SendAsync(right);
        Assert.That(scraped.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await scraped.Content.ReadAsStringAsync(), Does.Contain("# TYPE"));
    }

    [Test]
    public async Task A_metrics_port_serves_them_there_and_only_there()
    {
        var metricsPort = FreePort();
        var options = Database.Options(RepoPaths.Addons) with { ServerWideModules = ["web"] };
        await using var host = await TestHost.BootAsync(options, new Dictionary<string, string?>
        {
            ["web:metrics_token"] = null, ["web:metrics_port"] = metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await host.Host.StartAsync();
        using var http = new HttpClient();

        var onPublic = await http.GetAsync($"http://{options.HttpInterface}:{options.HttpPort}/metrics");
        var onMetrics = await http.GetAsync($"http://{options.HttpInterface}:{metricsPort}/metrics");

        Assert.That(onPublic.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(onMetrics.StatusCode, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public void A_bad_metrics_port_stops_the_start_naming_the_key()
    {
        var options = Database.Options(RepoPaths.Addons) with { ServerWideModules = ["web"] };

        var error = Assert.CatchAsync(async () => await (await TestHost.BootAsync(options, new Dictionary<string, string?> { ["web:metrics_port"] = "http" })).DisposeAsync());

        Assert.That(error!.ToString(), Does.Contain("[web] metrics_port: expected a port number (1-65535), got 'http'"));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
