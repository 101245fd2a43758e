namespace PluginHost.Addons.QueueJob.Internal.Channels;

/// <summary>
/// Parses the channels string exactly as upstream's <c>parse_simple_config</c>:
/// <c>channel(.subchannel)*(:capacity(:key(=value)?)*)?</c>, comma- or newline-separated, empty entries ignored,
/// names relative to root, capacity 1 when not given. Errors name the offending entry; a channel configured twice
/// (the later entry is used, as upstream) and an option PluginHost does not know (ignored, as upstream) are warnings
/// naming it.
/// </summary>
internal static class ChannelConfiguration
{
    /// <summary>The options an entry may carry after its capacity.</summary>
    private static readonly string[] KnownOptions = ["sequential", "throttle", "batch"];

    /// <summary>The configured channels, root first (root:1 unless configured); warnings are added to <paramref name="warnings"/>.</summary>
    public static IReadOnlyList<ChannelSpec> Parse(string? text, ICollection<string>? warnings = null)
    {
        var specs = new Dictionary<string, ChannelSpec>(StringComparer.Ordinal) { ["root"] = new("root", 1) };
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in (text ?? "").Replace('\n', ',').Split(',').Select(e => e.Trim()).Where(e => e.Length > 0))
        {
            var spec = ParseEntry(entry, warnings);
            if (entries.TryGetValue(spec.Name, out var earlier))
            {
                warnings?.Add($"[queue_job] channels: entry '{entry}' configures {spec.Name} again, after '{earlier}'; the later entry is used.");
            }

            entries[spec.Name] = entry;
            specs[spec.Name] = spec;
        }

        return specs.Values.OrderBy(s => s.Name == "root" ? 0 : 1).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>True when the string starts with <c>root:0</c>: the runner is not started, as upstream.</summary>
    public static bool DisablesRunner(string? text) =>
        (text ?? "").Replace('\n', ',').Split(',').Select(e => e.Trim()).FirstOrDefault(e => e.Length > 0) is { } first
        && first.Split(':').Select(p => p.Trim()).ToArray() is ["root", var capacity, ..] && capacity == "0";

    private static ChannelSpec ParseEntry(string entry, ICollection<string>? warnings)
    {
        var items = entry.Split(':').Select(i => i.Trim()).ToList();
        var name = items[0];
        if (name.Length == 0)
        {
            throw Error(entry, "missing channel name");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal) { "name" };
        int? capacity = 1;
        if (items.Count > 1)
        {
            capacity = int.TryParse(items[1], out var value) && value >= 0 ? value : throw Error(entry, $"invalid capacity '{items[1]}', expected a whole number");
            seen.Add("capacity");
        }

        var (sequential, throttle, batch) = (false, 0, 1);
        foreach (var item in items.Skip(2))
        {
            var parts = item.Split('=');
            if (parts.Length > 2)
            {
                throw Error(entry, $"incorrect config item '{item}', expected key or key=value");
            }

            var key = parts[0].Trim();
            if (!seen.Add(key))
            {
                throw Error(entry, $"duplicate key '{key}'");
            }

            var value = parts.Length == 2 ? parts[1].Trim() : null;
            switch (key)
            {
                case "sequential":
                    sequential = true;
                    break;
                case "throttle":
                    throttle = int.TryParse(value, out var seconds) && seconds >= 0 ? seconds : throw Error(entry, $"throttle needs whole seconds, got '{value}'");
                    break;
                case "batch":
                    batch = int.TryParse(value, out var size) && size >= 1 ? size : throw Error(entry, $"batch needs a whole number of jobs, 1 or more, got '{value}'");
                    break;
                default:
                    warnings?.Add($"[queue_job] channels: entry '{entry}': unknown option '{key}', ignored (known: {string.Join(", ", KnownOptions)}).");
                    break;
            }
        }

        if (sequential && capacity != 1)
        {
            throw Error(entry, "a sequential channel must have a capacity of 1");
        }

        return new ChannelSpec(name == "root" || name.StartsWith("root.", StringComparison.Ordinal) ? name : "root." + name, capacity, sequential, throttle, batch);
    }

    private static ArgumentException Error(string entry, string problem) => new($"[queue_job] channels: entry '{entry}': {problem}.");
}
