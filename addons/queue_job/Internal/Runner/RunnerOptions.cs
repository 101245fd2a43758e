using Microsoft.Extensions.Configuration;
using PluginHost.Addons.QueueJob.Internal.Channels;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The runner's configuration from <c>[queue_job]</c> (or <c>ODOO_QUEUE_JOB_CHANNELS</c>): the channels, parsed at
/// start-up so a bad entry stops the host with the entry named. A string starting with <c>root:0</c> disables it.
/// </summary>
internal sealed record RunnerOptions(IReadOnlyList<ChannelSpec> Channels, bool Enabled)
{
    /// <summary>Capacity of root, which bounds how many candidate jobs per channel the runner reads.</summary>
    public int RootCapacity => Channels.Single(c => c.Name == "root").Capacity ?? 1;

    /// <summary>Reads and checks <c>channels</c>.</summary>
    public static RunnerOptions From(IConfigurationSection section)
    {
        var text = section["channels"];
        return ChannelConfiguration.DisablesRunner(text)
            ? new RunnerOptions([new ChannelSpec("root", 0)], Enabled: false)
            : new RunnerOptions(ChannelConfiguration.Parse(text), Enabled: true);
    }
}
