using Microsoft.Extensions.Logging;
using PluginHost.Host.Addons;
using PluginHost.Sdk;

namespace PluginHost.Host.Cli;

/// <summary>
/// The commands the addons on the addons path declare (<see cref="Addon.Commands"/>), read after loading their DLLs and
/// before any connection. An addon that cannot be loaded is reported and skipped, so it stops only a start where it is
/// installed; the loaded addons are handed to the boot, which loads each DLL once.
/// </summary>
public sealed class AddonCommands
{
    private AddonCommands(IReadOnlyList<LoadedAddon> loaded, IReadOnlyList<DeclaredCommand> declared)
    {
        Loaded = loaded;
        Declared = declared;
    }

    /// <summary>No commands and no addon loaded: the line was only host flags.</summary>
    public static AddonCommands None { get; } = new([], []);

    /// <summary>Every addon loaded to read its commands, with its dependencies.</summary>
    public IReadOnlyList<LoadedAddon> Loaded { get; }

    /// <summary>The top-level commands, in addon order.</summary>
    public IReadOnlyList<DeclaredCommand> Declared { get; }

    /// <summary>Loads every addon of <paramref name="catalog"/> and reads its commands; a command whose name or option is taken is an <see cref="AddonLoadException"/>.</summary>
    public static AddonCommands Load(AddonCatalog catalog, ILogger logger)
    {
        var loaded = new List<LoadedAddon>();
        var failed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var addon in catalog.Ordered)
        {
            if (addon.Manifest.Depends.FirstOrDefault(failed.Contains) is { } dependency)
            {
                failed.Add(addon.Name);
                logger.LogWarning("addon '{Addon}': not loaded, as '{Dependency}' it depends on could not be; its commands are not available", addon.Name, dependency);
                continue;
            }

            try
            {
                loaded.Add(AddonLoader.Load([addon], loaded)[0]);
            }
            catch (AddonLoadException e)
            {
                failed.Add(addon.Name);
                logger.LogWarning("{Message} Its commands are not available.", e.Message);
            }
        }

        return new AddonCommands(loaded, Declarations(loaded));
    }

    /// <summary>The commands <paramref name="addons"/> declare, checked (<see cref="Check"/>), in addon order.</summary>
    internal static List<DeclaredCommand> Declarations(IReadOnlyList<LoadedAddon> addons)
    {
        var declared = new List<DeclaredCommand>();
        foreach (var addon in addons.Where(a => a.Entry is not null))
        {
            foreach (var command in addon.Entry!.Commands)
            {
                Check(addon, command, command.Name, declared);
                declared.Add(new DeclaredCommand(addon.Name, command));
            }
        }

        return declared;
    }

    /// <summary>
    /// A command name not taken by host itself (<c>scaffold</c>) or by another addon, options that are long flags other
    /// than the host's.
    /// </summary>
    private static void Check(LoadedAddon addon, AddonCommand command, string path, IReadOnlyList<DeclaredCommand> declared)
    {
        if (path == command.Name && CommandLineGrammar.BuiltInNames.Contains(command.Name))
        {
            throw new AddonLoadException(addon.Discovered.ManifestPath,
                $"addon '{addon.Name}' declares command '{command.Name}', a command of host itself (host --help); choose another name.");
        }

        if (path == command.Name && declared.FirstOrDefault(d => d.Command.Name == command.Name) is { } taken)
        {
            throw new AddonLoadException(addon.Discovered.ManifestPath, $"addon '{addon.Name}' declares command '{command.Name}', which addon '{taken.Addon}' declares already.");
        }

        foreach (var name in command.Options.SelectMany(o => o.Aliases.Prepend(o.Name)))
        {
            if (!name.StartsWith('-') || CommandLine.Options.Any(o => o.Long == name || o.Short == name))
            {
                throw new AddonLoadException(addon.Discovered.ManifestPath,
                    $"addon '{addon.Name}': command 'host {path}' declares option '{name}'; expected a name starting with '-' that is not one of the host's flags (host --help).");
            }
        }

        foreach (var sub in command.SubCommands)
        {
            Check(addon, sub, $"{path} {sub.Name}", declared);
        }
    }
}
