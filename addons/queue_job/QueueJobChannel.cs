using System.Data;
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

    /// <summary>What keeps each of the channels <c>$1</c> from being deleted: job functions on it, and children outside the set.</summary>
    private const string ChannelUses = """
        SELECT c.complete_name AS channel, 'channel of job function ' || f.name AS used_as
        FROM queue_job_channel c
        JOIN queue_job_function f ON f.channel_id = c.id
        WHERE c.id = ANY($1)
        UNION ALL
        SELECT c.complete_name, 'parent of channel ' || k.complete_name
        FROM queue_job_channel c
        JOIN queue_job_channel k ON k.parent_id = c.id
        WHERE c.id = ANY($1)
          AND NOT (k.id = ANY($1))
        ORDER BY 1, 2
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

    /// <summary>
    /// A channel that is the channel of a job function or the parent of another channel stays (as upstream restricts
    /// it): deleting it is an error naming each channel and what uses it.
    /// </summary>
    public override async Task UnlinkAsync()
    {
        var uses = new List<string>();
        await using (var command = Env.CreateCommand(ChannelUses, Ids.ToArray()))
        await using (var reader = await command.ExecuteReaderAsync(Env.CancellationToken))
        {
            while (await reader.ReadAsync(Env.CancellationToken))
            {
                uses.Add($"channel '{reader.GetString("channel")}' is the {reader.GetString("used_as")}");
            }
        }

        if (uses.Count > 0)
        {
            throw new ArgumentException($"{string.Join("; ", uses)}: move or delete them first.");
        }

        await base.UnlinkAsync();
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
