using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PluginHost.Addons.QueueJob.Internal;
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
        await host.Host.StartAsync();
        var queues = host.Host.Services.GetServices<IHostedService>().OfType<DatabaseQueues>().Single().Queues;

        Assert.That(queues.Keys, Is.EqualTo(new[] { options.Database }), "the served database has its queue as soon as the host is started");
        Assert.That(queues[options.Database].HasRunner, Is.EqualTo(runs));
    }
}
