namespace PluginHost.Addons.QueueJob.Internal.Channels;

/// <summary>One configured channel: its complete name, capacity (null: unlimited), and options.</summary>
/// <param name="Name">Complete name, <c>root</c> or <c>root.a.b</c>.</param>
/// <param name="Capacity">Jobs running at once in the channel and its sub-channels; null or 0 is unlimited, as upstream.</param>
/// <param name="Sequential">Runs one job at a time in order, and stops at a failed job.</param>
/// <param name="ThrottleSeconds">After starting a job, the channel waits this long before starting another.</param>
internal sealed record ChannelSpec(string Name, int? Capacity, bool Sequential = false, int ThrottleSeconds = 0)
{
    /// <summary>Unlimited when the capacity is missing or 0.</summary>
    public bool Unlimited => Capacity is null or 0;
}
