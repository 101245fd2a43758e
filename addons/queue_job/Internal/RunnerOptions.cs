using Microsoft.Extensions.Configuration;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The runner's configuration from <c>[queue_job]</c> (or <c>ODOO_QUEUE_JOB_*</c>): the channels string,
/// <c>root:4,root.sub:2</c>. Only the root capacity is used by this runner; <c>root:0</c> disables it.
/// </summary>
internal sealed record RunnerOptions(int RootCapacity)
{
    /// <summary>Capacity of root when the channels string does not name it, as upstream.</summary>
    public const int DefaultRootCapacity = 1;

    /// <summary>The runner is off when root has no capacity.</summary>
    public bool Enabled => RootCapacity > 0;

    /// <summary>Reads <c>channels</c>; an entry that does not parse is an error naming it.</summary>
    public static RunnerOptions From(IConfigurationSection section)
    {
        var capacity = DefaultRootCapacity;
        var channels = section["channels"] ?? "";
        foreach (var entry in channels.Split([',', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split(':', StringSplitOptions.TrimEntries);
            if (parts[0].Length == 0)
            {
                throw new ArgumentException($"[queue_job] channels: entry '{entry}' has no channel name.");
            }

            var entryCapacity = 1;
            if (parts.Length > 1 && !int.TryParse(parts[1], out entryCapacity))
            {
                throw new ArgumentException($"[queue_job] channels: entry '{entry}': invalid capacity '{parts[1]}', expected an integer.");
            }

            if (parts[0] == "root")
            {
                capacity = entryCapacity;
            }
        }

        return new RunnerOptions(capacity);
    }
}
