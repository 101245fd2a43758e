namespace PluginHost.Sdk;

/// <summary>
/// A job function declared in a manifest's <c>job_functions</c>: the fields of a <c>queue.job.function</c> data record,
/// checked for shape when the manifest is read.
/// </summary>
/// <param name="Model">The model's name (<c>shop.order</c>).</param>
/// <param name="Method">The method's name (<c>ConfirmAsync</c>).</param>
/// <param name="Channel">The complete name of the channel its jobs run on (<c>root.shop</c>); null for root.</param>
/// <param name="RetryPattern">The retry pattern in the data files' literal syntax (<c>{"1": 10, "5": 60}</c>); null for none.</param>
/// <param name="RelatedAction">The related action in the data files' literal syntax (<c>{"func_name": "open_order"}</c>); null for the default.</param>
/// <param name="Timeout">Seconds a try may run; null for no limit.</param>
public sealed record ManifestJobFunction(string Model, string Method, string? Channel, string? RetryPattern, string? RelatedAction, int? Timeout)
{
    /// <summary>The job function's name, as queue_job writes it: <c>&lt;shop.order&gt;.ConfirmAsync</c>.</summary>
    public string Name => $"<{Model}>.{Method}";
}
