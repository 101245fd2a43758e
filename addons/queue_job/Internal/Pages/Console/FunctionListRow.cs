namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>A job function record as the Job Functions screens show it, with the addons declaring it (comma-separated).</summary>
internal sealed record FunctionListRow(long Id, string Name, long ChannelId, string Channel, string RetryPattern, string RelatedAction, int? Timeout, string DeclaredBy)
{
    /// <summary>The notice of the form: what an update of the declaring addons does to the fields edited here.</summary>
    public string Notice => DeclaredBy.Length == 0
        ? "declared by no addon: the fields edited here are kept"
        : $"declared by {DeclaredBy}; an update of {DeclaredBy.Replace(", ", " or ", StringComparison.Ordinal)} resets these fields";
}
