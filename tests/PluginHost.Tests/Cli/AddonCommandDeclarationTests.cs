using PluginHost.Host.Addons;
using PluginHost.Host.Cli;
using PluginHost.Sdk;

namespace PluginHost.Tests.Cli;

/// <summary>The commands an addon declares, checked when they are read (<see cref="AddonCommands"/>), before any connection.</summary>
public sealed class AddonCommandDeclarationTests
{
    [Test]
    public void A_command_named_as_a_command_of_host_itself_is_refused_naming_the_addon_and_the_name()
    {
        var addon = Loaded("shop_tools", new AddonCommand("scaffold", "my own scaffold") { Run = (_, _, _) => Task.FromResult(0) });

        var error = Assert.Throws<AddonLoadException>(() => AddonCommands.Declarations([addon]));

        Assert.That(error!.Message, Does.Contain("addon 'shop_tools' declares command 'scaffold', a command of host itself"));
    }

    [Test]
    public void A_sub_command_may_have_the_name_of_a_command_of_host_itself()
    {
        var addon = Loaded("shop_tools", new AddonCommand("shop", "shop tools")
        {
            SubCommands = [new AddonCommand("scaffold", "a shop's files") { Run = (_, _, _) => Task.FromResult(0) }],
        });

        Assert.That(AddonCommands.Declarations([addon]).Select(d => d.Command.Name), Is.EqualTo(new[] { "shop" }));
    }

    private static LoadedAddon Loaded(string name, params AddonCommand[] commands) =>
        new(new DiscoveredAddon(new AddonManifest { Name = name, Version = "1.0" }, "/addons/" + name, $"/addons/{name}/manifest.xml"),
            new CommandsAddon(commands), null);

    private sealed class CommandsAddon(IReadOnlyList<AddonCommand> commands) : Addon
    {
        public override IReadOnlyList<AddonCommand> Commands => commands;
    }
}
