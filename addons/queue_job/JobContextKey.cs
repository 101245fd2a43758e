namespace PluginHost.Addons.QueueJob;

/// <summary>
/// A context key carried from the environment that delays a job into the environment that runs it. Register
/// one per key as a singleton service (<c>services.AddSingleton(new JobContextKey("my_key"))</c>); queue_job
/// registers <see cref="Defaults"/>, upstream 16.0's allow-list.
/// </summary>
/// <param name="Name">The context key.</param>
public sealed record JobContextKey(string Name)
{
    /// <summary>tz, lang, allowed_company_ids, force_company, active_test.</summary>
    public static IReadOnlyList<JobContextKey> Defaults { get; } =
        [new("tz"), new("lang"), new("allowed_company_ids"), new("force_company"), new("active_test")];
}
