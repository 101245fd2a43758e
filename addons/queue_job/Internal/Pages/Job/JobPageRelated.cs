namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The job's related action as its page offers it: the link (<c>/queue_job/jobs/{uuid}/related</c>) when its
/// function's action is enabled and registered, else why there is none (null when disabled, as upstream shows nothing).
/// </summary>
internal sealed record JobPageRelated(string? Url, string? Note)
{
    public static JobPageRelated Of(string uuid, string? functionRelatedAction, RelatedActions registered)
    {
        RelatedActionConfig config;
        try
        {
            config = RelatedActionConfig.Parse(functionRelatedAction ?? "{}");
        }
        catch (FormatException e)
        {
            return new JobPageRelated(null, e.Message);
        }

        if (!config.Enable)
        {
            return new JobPageRelated(null, null);
        }

        return registered.Names.Contains(config.FuncName)
            ? new JobPageRelated($"/queue_job/jobs/{Uri.EscapeDataString(uuid)}/related", null)
            : new JobPageRelated(null, $"Its related action '{config.FuncName}' is registered by no loaded addon.");
    }
}
