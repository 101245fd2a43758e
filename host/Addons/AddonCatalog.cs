using PluginHost.Host.Manifests;

namespace PluginHost.Host.Addons;

/// <summary>
/// Every addon found on the addons path, read and ordered before any DLL is loaded. Discovery reports all
/// problems at once (bad manifests, duplicate names, missing dependencies, cycles) with their files.
/// </summary>
public sealed class AddonCatalog
{
    private static readonly IManifestReader[] Readers = [new JsonManifestReader(), new XmlManifestReader()];

    private AddonCatalog(IReadOnlyList<DiscoveredAddon> ordered)
    {
        Ordered = ordered;
        ByName = ordered.ToDictionary(a => a.Name, StringComparer.Ordinal);
    }

    /// <summary>All addons, each after the addons it depends on.</summary>
    public IReadOnlyList<DiscoveredAddon> Ordered { get; }

    /// <summary>Addons by technical name.</summary>
    public IReadOnlyDictionary<string, DiscoveredAddon> ByName { get; }

    /// <summary>Reads every addon folder (a direct subfolder holding a manifest) of the given folders.</summary>
    public static AddonCatalog Discover(IEnumerable<string> addonsPath)
    {
        var problems = new List<string>();
        var found = new List<DiscoveredAddon>();
        foreach (var root in addonsPath)
        {
            if (!Directory.Exists(root))
            {
                problems.Add($"addons path folder '{root}' does not exist");
                continue;
            }

            foreach (var folder in Directory.GetDirectories(root).Order(StringComparer.Ordinal))
            {
                ReadFolder(Path.GetFullPath(folder), found, problems);
            }
        }

        foreach (var duplicate in found.GroupBy(a => a.Name).Where(g => g.Count() > 1))
        {
            problems.Add($"addon '{duplicate.Key}' is declared more than once: {string.Join(", ", duplicate.Select(a => a.ManifestPath))}");
        }

        if (problems.Count > 0)
        {
            throw new AddonGraphException(problems);
        }

        var catalog = new AddonCatalog(DependencyGraph.Order(found.ToDictionary(a => a.Name, StringComparer.Ordinal)));
        if (catalog.JobDeclarationProblems().ToList() is { Count: > 0 } declarations)
        {
            throw new AddonGraphException(declarations);
        }

        return catalog;
    }

    /// <summary>The addon that turns manifests' <c>channels</c> and <c>job_functions</c> into records.</summary>
    public const string JobDeclarationsAddon = "queue_job";

    /// <summary>Each addon that declares job channels or functions in its manifest without depending on queue_job, which makes them records.</summary>
    private IEnumerable<string> JobDeclarationProblems() =>
        Ordered
            .Where(a => a.Manifest.Channels.Count > 0 || a.Manifest.JobFunctions.Count > 0)
            .Where(a => a.Name != JobDeclarationsAddon && WithDependencies([a.Name]).All(d => d.Name != JobDeclarationsAddon))
            .Select(a => new ManifestException(a.ManifestPath, a.Manifest.Channels.Count > 0 ? "channels" : "job_functions",
                $"declaring job channels or functions needs '{JobDeclarationsAddon}' in depends, which makes them records.").Message);

    /// <summary>The named addons and everything they depend on, in dependency order.</summary>
    public IReadOnlyList<DiscoveredAddon> WithDependencies(IEnumerable<string> names)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        var stack = new Stack<string>(names.Select(Require));
        while (stack.TryPop(out var name))
        {
            if (wanted.Add(name))
            {
                foreach (var dependency in ByName[name].Manifest.Depends)
                {
                    stack.Push(dependency);
                }
            }
        }

        return Ordered.Where(a => wanted.Contains(a.Name)).ToList();
    }

    /// <summary>The name itself, or an error saying no addon of that name is on the addons path.</summary>
    public string Require(string name) =>
        ByName.ContainsKey(name)
            ? name
            : throw new ArgumentException($"No addon named '{name}' on the addons path. Known addons: {string.Join(", ", ByName.Keys.Order())}.");

    private static void ReadFolder(string folder, List<DiscoveredAddon> found, List<string> problems)
    {
        var manifests = Readers.Select(r => (Reader: r, Path: Path.Combine(folder, r.FileName))).Where(m => File.Exists(m.Path)).ToList();
        if (manifests.Count > 1)
        {
            problems.Add($"{folder}: holds both manifest.json and manifest.xml; keep one");
            return;
        }

        if (manifests.Count == 0)
        {
            return;
        }

        try
        {
            found.Add(new DiscoveredAddon(manifests[0].Reader.Read(manifests[0].Path), folder, manifests[0].Path));
        }
        catch (ManifestException e)
        {
            problems.Add(e.Message);
        }
    }
}
