using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Host.Hosting;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Modules;

/// <summary>An installed addon that is on no folder of the addons path is named at start, and the rest is served (issue 9, item 3).</summary>
public sealed class MissingAddonTests : DatabaseTestBase
{
    [Test]
    public async Task An_installed_addon_missing_from_the_addons_path_is_a_warning_naming_it_and_the_path()
    {
        var withFixtures = Database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with { Init = ["fixture_base"] };
        await (await TestHost.BootAsync(withFixtures)).DisposeAsync();

        var logs = new ListLoggerProvider();
        using var logging = LoggerFactory.Create(builder => builder.AddProvider(logs));
        var withoutFixtures = Database.Options(RepoPaths.Addons);
        await using var booted = await TestHost.BootAsync(withoutFixtures, logging: logging);

        Assert.That(logs.Lines.Where(l => l.Level == LogLevel.Warning && l.Category == typeof(HostBootstrap).FullName).Select(l => l.Message), Is.EqualTo(new[]
        {
            $"addon 'fixture_base' is installed in database '{withoutFixtures.Database}' but on no folder of the addons path ({RepoPaths.Addons}): " +
            "its models, jobs and pages are not loaded; add its folder to --addons-path",
        }));
        Assert.That(booted.Addons.Select(a => a.Name), Does.Not.Contain("fixture_base"));
    }

    [Test]
    public async Task The_hosts_own_database_stays_served_while_an_installed_addon_is_missing_from_the_addons_path()
    {
        var serverWide = new[] { "web", "queue_job" };
        var withFixtures = Database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with { Init = ["fixture_base"], ServerWideModules = serverWide };
        await (await TestHost.BootAsync(withFixtures)).DisposeAsync();

        var logs = new ListLoggerProvider();
        using var logging = LoggerFactory.Create(builder => builder.AddProvider(logs));
        await using var booted = await TestHost.BootAsync(Database.Options(RepoPaths.Addons) with { ServerWideModules = serverWide }, logging: logging);
        await booted.Host.StartAsync();
        var queues = booted.Host.Services.GetServices<IHostedService>().OfType<DatabaseQueues>().Single();
        await Task.Delay(DatabaseQueues.ScanInterval * 2);

        Assert.That(queues.Queues.Keys, Is.EqualTo(new[] { Database.Name }), "the scans kept it, as the start did");
        Assert.That(logs.Lines.Where(l => l.Message.Contains("left alone", StringComparison.Ordinal)), Is.Empty);
    }
}
