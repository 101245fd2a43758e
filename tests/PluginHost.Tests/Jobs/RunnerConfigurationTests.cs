using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Jobs;

/// <summary>The [queue_job] channels string as the runner reads it at start-up.</summary>
public sealed class RunnerConfigurationTests : DatabaseTestBase
{
    [Test]
    public void An_invalid_capacity_names_the_channels_entry()
    {
        var options = Database.Options(RepoPaths.Addons) with { ServerWideModules = ["web", "queue_job"] };

        Assert.That(() => TestHost.BootAsync(options, new Dictionary<string, string?> { ["queue_job:channels"] = "root:2,sub:many" }),
            Throws.ArgumentException.With.Message.Contains("'sub:many'").And.Message.Contains("'many'"));
    }

    [TestCase("root:0", false)]
    [TestCase("root:3", true)]
    public async Task Root_without_capacity_disables_the_runner(string channels, bool runs)
    {
        var options = Database.Options(RepoPaths.Addons) with { ServerWideModules = ["web", "queue_job"] };

        await using var host = await TestHost.BootAsync(options, new Dictionary<string, string?> { ["queue_job:channels"] = channels });
        var services = host.Host.Services.GetServices<IHostedService>().Select(s => s.GetType().Name);

        Assert.That(services.Contains("JobRunner"), Is.EqualTo(runs));
    }
}
