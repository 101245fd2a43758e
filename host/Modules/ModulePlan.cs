using PluginHost.Host.Addons;

namespace PluginHost.Host.Modules;

/// <summary>
/// What to load and what to install, update and uninstall, computed from the catalog, the installed
/// addons and the request before any DLL is loaded. Lists are in dependency order; <see cref="Missing"/> names the
/// installed addons that are on no folder of the addons path (they are not loaded).
/// </summary>
public sealed record ModulePlan(
    IReadOnlyList<DiscoveredAddon> Load,
    IReadOnlyList<DiscoveredAddon> Install,
    IReadOnlyList<DiscoveredAddon> Update,
    IReadOnlyList<DiscoveredAddon> Uninstall,
    IReadOnlyList<string> Missing)
{
    /// <summary>Computes the plan; a request naming unknown, uninstallable or not-installed addons is an error naming them.</summary>
    public static ModulePlan Compute(AddonCatalog catalog, IReadOnlySet<string> installed, ModuleRequest request)
    {
        var install = catalog.WithDependencies(request.Install.Concat(request.ServerWide)).Where(a => !installed.Contains(a.Name)).ToList();
        foreach (var addon in install.Where(a => !a.Manifest.Installable))
        {
            throw new ArgumentException($"Addon '{addon.Name}' ({addon.ManifestPath}) is not installable (installable: false).");
        }

        AddAutoInstalled(catalog, installed, install);

        var update = Dependents(catalog, installed, ExpandAll(request.Update, installed).Select(name => RequireInstalled(catalog, installed, name, "-u")));
        var uninstall = Dependents(catalog, installed, request.Uninstall.Select(name => RequireInstalled(catalog, installed, name, "--uninstall")));
        var removed = uninstall.Select(a => a.Name).ToHashSet();
        foreach (var kept in install.Select(a => a.Name).Concat(request.ServerWide))
        {
            if (catalog.WithDependencies([kept]).FirstOrDefault(a => removed.Contains(a.Name)) is { } clash)
            {
                throw new ArgumentException($"Addon '{kept}' cannot be installed or loaded while '{clash.Name}', which it needs, is uninstalled.");
            }
        }

        var load = catalog.WithDependencies(installed.Where(catalog.ByName.ContainsKey).Concat(install.Select(a => a.Name)).Concat(request.ServerWide));
        var missing = installed.Where(name => !catalog.ByName.ContainsKey(name)).Order(StringComparer.Ordinal).ToList();
        return new ModulePlan(load, Ordered(catalog, install), update.Where(a => install.All(i => i.Name != a.Name)).ToList(), uninstall, missing);
    }

    private static void AddAutoInstalled(AddonCatalog catalog, IReadOnlySet<string> installed, List<DiscoveredAddon> install)
    {
        bool added;
        do
        {
            var present = installed.Concat(install.Select(a => a.Name)).ToHashSet();
            var auto = catalog.Ordered
                .Where(a => a.Manifest.AutoInstall && a.Manifest.Installable && !present.Contains(a.Name))
                .Where(a => a.Manifest.Depends.All(present.Contains))
                .ToList();
            install.AddRange(auto);
            added = auto.Count > 0;
        }
        while (added);
    }

    private static IEnumerable<string> ExpandAll(IReadOnlyList<string> names, IReadOnlySet<string> installed) =>
        names.Contains("all") ? installed : names;

    private static string RequireInstalled(AddonCatalog catalog, IReadOnlySet<string> installed, string name, string flag) =>
        installed.Contains(catalog.Require(name))
            ? name
            : throw new ArgumentException($"{flag} {name}: addon '{name}' is not installed in this database.");

    private static IReadOnlyList<DiscoveredAddon> Dependents(AddonCatalog catalog, IReadOnlySet<string> installed, IEnumerable<string> names)
    {
        var selected = names.ToHashSet(StringComparer.Ordinal);
        foreach (var addon in catalog.Ordered.Where(a => installed.Contains(a.Name)))
        {
            if (addon.Manifest.Depends.Any(selected.Contains))
            {
                selected.Add(addon.Name);
            }
        }

        return catalog.Ordered.Where(a => selected.Contains(a.Name)).ToList();
    }

    private static IReadOnlyList<DiscoveredAddon> Ordered(AddonCatalog catalog, IEnumerable<DiscoveredAddon> addons)
    {
        var names = addons.Select(a => a.Name).ToHashSet();
        return catalog.Ordered.Where(a => names.Contains(a.Name)).ToList();
    }
}
