using Microsoft.Extensions.Logging;
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
}
