using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using PluginHost.Sdk;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Web;

/// <summary>The HTTP server's start-up failures are named in one line (issue 9, item 3).</summary>
public sealed class WebStartTests : DatabaseTestBase
{
    [Test]
    public async Task A_port_already_in_use_stops_the_start_naming_the_port_and_the_option()
    {
        var options = Database.Options(RepoPaths.Addons) with { ServerWideModules = ["web"] };
        using var taken = new TcpListener(IPAddress.Parse(options.HttpInterface), options.HttpPort);
        taken.Start();
        await using var host = await TestHost.BootAsync(options);

        Assert.That(() => host.Host.StartAsync(), Throws.TypeOf<HostStartException>()
            .With.Message.Contains($"HTTP port {options.HttpInterface}:{options.HttpPort} is already in use").And.Message.Contains("--http-port"));
    }
}
