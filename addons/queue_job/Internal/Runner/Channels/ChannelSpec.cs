namespace PluginHost.Addons.QueueJob.Internal.Channels;

/// <summary>One configured channel: its complete name, capacity (null: unlimited), and options.</summary>
/// <param name="Name">Complete name, <c>root</c> or <c>root.a.b</c>.</param>
/// <param name="Capacity">Jobs running at once in the channel and its sub-channels; null or 0 is unlimited, as upstream.</param>
/// <param name="Sequential">Runs one job at a time in order, and stops at a failed job.</param>
/// <param name="ThrottleSeconds">After starting a job, the channel waits this long before starting another.</param>
/// <param name="Batch">
/// How many of its jobs an executor may run and mark done in one transaction, each in a savepoint (1: one
/// transaction per job). Fewer commits, but a crash runs the whole batch again.
/// </param>
internal sealed record ChannelSpec(string Name, int? Capacity, bool Sequential = false, int ThrottleSeconds = 0, int Batch = 1)
{
    /// <summary>Unlimited when the capacity is missing or 0.</summary>
    public bool Unlimited => Capacity is null or 0;
}
