using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob;

/// <summary>
/// A job channel record (<c>queue.job.channel</c>): a node of the channel tree under <c>root</c>, used as
/// the default channel of job functions. Declared in data files; two addons declaring the same name under
/// the same parent share one record.
/// </summary>
[Model("queue.job.channel")]
public class QueueJobChannel : Model<QueueJobChannelRow>
{
    private const string RecomputeCompleteNames = """
        WITH RECURSIVE tree AS (
            SELECT id, name::text AS complete_name FROM queue_job_channel WHERE parent_id IS NULL
            UNION ALL
            SELECT c.id, tree.complete_name || '.' || c.name
            FROM queue_job_channel c JOIN tree ON c.parent_id = tree.id
        )
        UPDATE queue_job_channel c SET complete_name = tree.complete_name
        FROM tree
        WHERE c.id = tree.id AND c.complete_name IS DISTINCT FROM tree.complete_name
        """;

    /// <summary>Copies each function's channel complete name into its <c>channel</c> column.</summary>
    internal const string RecomputeFunctionChannels = """
        UPDATE queue_job_function f SET channel = c.complete_name
        FROM queue_job_channel c
        WHERE f.channel_id = c.id AND f.channel IS DISTINCT FROM c.complete_name
        """;

    /// <summary>Creates the channel and computes its complete name (<c>root.sale.invoices</c>).</summary>
    public override async Task<long> CreateAsync(IReadOnlyDictionary<string, object?> values)
    {
        CheckParent(values);
        var id = await base.CreateAsync(values);
        await RecomputeAsync();
        return id;
    }

    /// <summary>Writes the channels and recomputes complete names of them and their descendants.</summary>
    public override async Task WriteAsync(IReadOnlyDictionary<string, object?> values)
    {
        await base.WriteAsync(values);
        await RecomputeAsync();
    }

    /// <summary>The channel of the same name under the same parent, declared by another addon.</summary>
    public override async Task<long?> FindMergeTargetAsync(IReadOnlyDictionary<string, object?> values) =>
        await Env.ScalarAsync<long?>(
            "SELECT id FROM queue_job_channel WHERE name = $1 AND parent_id IS NOT DISTINCT FROM $2",
            values.GetValueOrDefault("name"), values.GetValueOrDefault("parent_id"));

    private static void CheckParent(IReadOnlyDictionary<string, object?> values)
    {
        if (values.GetValueOrDefault("parent_id") is null && values.GetValueOrDefault("name") as string != "root")
        {
            throw new ArgumentException($"Channel '{values.GetValueOrDefault("name")}': field 'parent_id' is required (only 'root' has no parent).");
        }
    }

    private async Task RecomputeAsync()
    {
        await Env.ExecuteAsync(RecomputeCompleteNames);
        await Env.ExecuteAsync(RecomputeFunctionChannels);
    }
}
