namespace PluginHost.Host.Addons;

/// <summary>
/// Orders addons so that every addon comes after the addons it depends on. The order is deterministic:
/// among addons whose dependencies are all placed, the smallest name goes first. Missing dependencies
/// and cycles are reported with the manifests involved, never silently dropped.
/// </summary>
public static class DependencyGraph
{
    /// <summary>All addons in dependency order, or <see cref="AddonGraphException"/> listing every problem.</summary>
    public static IReadOnlyList<DiscoveredAddon> Order(IReadOnlyDictionary<string, DiscoveredAddon> addons)
    {
        var problems = MissingDependencies(addons).ToList();
        if (problems.Count > 0)
        {
            throw new AddonGraphException(problems);
        }

        var remaining = addons.Values.ToDictionary(a => a.Name, a => a.Manifest.Depends.Distinct().Count());
        var dependents = addons.Values
            .SelectMany(a => a.Manifest.Depends.Distinct().Select(d => (Dependency: d, Dependent: a.Name)))
            .ToLookup(x => x.Dependency, x => x.Dependent);
        var ready = new SortedSet<string>(remaining.Where(r => r.Value == 0).Select(r => r.Key), StringComparer.Ordinal);
        var ordered = new List<DiscoveredAddon>();
        while (ready.Count > 0)
        {
            var next = ready.Min!;
            ready.Remove(next);
            ordered.Add(addons[next]);
            foreach (var dependent in dependents[next])
            {
                if (--remaining[dependent] == 0)
                {
                    ready.Add(dependent);
                }
            }
        }

        if (ordered.Count < addons.Count)
        {
            var stuck = remaining.Where(r => r.Value > 0).Select(r => r.Key).ToHashSet();
            throw new AddonGraphException([DescribeCycle(addons, stuck)]);
        }

        return ordered;
    }

    private static IEnumerable<string> MissingDependencies(IReadOnlyDictionary<string, DiscoveredAddon> addons) =>
        from addon in addons.Values.OrderBy(a => a.Name, StringComparer.Ordinal)
        from dependency in addon.Manifest.Depends
        where !addons.ContainsKey(dependency)
        select $"addon '{addon.Name}' ({addon.ManifestPath}) depends on '{dependency}', which is not on the addons path";

    private static string DescribeCycle(IReadOnlyDictionary<string, DiscoveredAddon> addons, IReadOnlySet<string> stuck)
    {
        // Walk dependencies among the stuck addons from the smallest name until a name repeats: that loop is a cycle.
        var path = new List<string>();
        var current = stuck.Order(StringComparer.Ordinal).First();
        while (!path.Contains(current))
        {
            path.Add(current);
            current = addons[current].Manifest.Depends.Where(stuck.Contains).Order(StringComparer.Ordinal).First();
        }

        var cycle = path.Skip(path.IndexOf(current)).Append(current).ToList();
        var files = cycle.Distinct().Select(name => addons[name].ManifestPath);
        return $"dependency cycle: {string.Join(" -> ", cycle)} ({string.Join(", ", files)})";
    }
}
