namespace PluginHost.Addons.QueueJob;

/// <summary>The seven states of a job, spelled as in Odoo's <c>queue_job.state</c> column.</summary>
public static class JobState
{
    /// <summary>Waits for its parent jobs in a graph to be done.</summary>
    public const string WaitDependencies = "wait_dependencies";

    /// <summary>Runnable once its eta has passed and its channel has capacity.</summary>
    public const string Pending = "pending";

    /// <summary>Picked by the runner, waiting for an executor.</summary>
    public const string Enqueued = "enqueued";

    /// <summary>Running on an executor.</summary>
    public const string Started = "started";

    /// <summary>Finished successfully.</summary>
    public const string Done = "done";

    /// <summary>Cancelled by a user.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Failed; requeue it to run it again.</summary>
    public const string Failed = "failed";

    /// <summary>Every state, in the order a job goes through them.</summary>
    public static IReadOnlyList<string> All { get; } = [WaitDependencies, Pending, Enqueued, Started, Done, Cancelled, Failed];
}
