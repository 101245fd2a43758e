namespace PluginHost.Addons.QueueJob;

/// <summary>The properties of a job given to <c>WithDelay</c>; null means the default (or the job function's).</summary>
public sealed record DelayOptions
{
    /// <summary>Default priority; lower runs first.</summary>
    public const int DefaultPriority = 10;

    /// <summary>Default maximum number of tries.</summary>
    public const int DefaultMaxRetries = 5;

    /// <summary>Lower runs first; default 10.</summary>
    public int? Priority { get; init; }

    /// <summary>Not run before this moment (UTC).</summary>
    public DateTime? Eta { get; init; }

    /// <summary>Maximum number of tries; 0 retries forever; default 5.</summary>
    public int? MaxRetries { get; init; }

    /// <summary>Human description; default <c>model.Method</c>.</summary>
    public string? Description { get; init; }

    /// <summary>Complete channel name; overrides the job function's channel.</summary>
    public string? Channel { get; init; }

    /// <summary>No second job with this key while one is waiting, pending or enqueued.</summary>
    public IdentityKey? IdentityKey { get; init; }
}
