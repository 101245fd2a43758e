namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>A selected job a bulk action left alone, and why: "running", "not found", or the state it is in.</summary>
internal sealed record JobBulkSkip(long Id, string Reason, string? State = null)
{
    /// <summary>Why an action leaves a job in <paramref name="state"/>: the state, said as an operator would.</summary>
    public static string For(string state) => state switch
    {
        JobState.Started => "running",
        JobState.WaitDependencies => "waiting for dependencies",
        _ => state,
    };
}
