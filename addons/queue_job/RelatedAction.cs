using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob;

/// <summary>What a related action is given: the job, the records it ran on, and the function's kwargs.</summary>
/// <param name="Env">The environment of the user asking.</param>
/// <param name="JobUuid">The job.</param>
/// <param name="Records">The records of the job, bound to <paramref name="Env"/>.</param>
/// <param name="Kwargs">The <c>kwargs</c> of the function's <c>related_action</c>.</param>
public sealed record RelatedActionContext(Env Env, string JobUuid, Model Records, IReadOnlyDictionary<string, object?> Kwargs);

/// <summary>
/// A named related action: from a job, the page to open (a local URL), or null for none. Register one as a
/// singleton service; a job function selects it with <c>related_action = {'func_name': 'name', 'kwargs': {...}}</c>.
/// </summary>
/// <example>
/// <code>
/// services.AddSingleton(new RelatedAction("related_action_open_invoice", c =&gt; Task.FromResult&lt;string?&gt;($"/shop/invoice/{c.Records.Id}")));
/// </code>
/// </example>
/// <param name="Name">The name a function's <c>func_name</c> uses.</param>
/// <param name="Open">Computes the URL to open.</param>
public sealed record RelatedAction(string Name, Func<RelatedActionContext, Task<string?>> Open)
{
    /// <summary>The action used when a function names none: the record's page, or the list of the records.</summary>
    public const string DefaultName = "related_action_open_record";

    /// <summary>Opens the one record, or the list of several records, in the web addon's record pages.</summary>
    public static RelatedAction OpenRecord { get; } = new(DefaultName, context => Task.FromResult<string?>(context.Records.Ids.Count switch
    {
        0 => null,
        1 => $"/web/record/{context.Records.Info.Name}/{context.Records.Ids[0]}",
        _ => $"/web/records/{context.Records.Info.Name}?ids={string.Join(",", context.Records.Ids)}",
    }));
}
