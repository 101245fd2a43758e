using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Moves the children of finished jobs: to <c>pending</c> once every parent is done, to <c>cancelled</c> once every
/// parent is cancelled. Children are locked before their parents are read, so two parents finishing at once in two
/// transactions cannot both miss each other: the second waits for the first to commit, then sees it done.
/// </summary>
internal static class JobDependencies
{
    private const string LockChildren = """
        SELECT c.id
        FROM queue_job c
        WHERE c.uuid IN (
            SELECT jsonb_array_elements_text(p.dependencies -> 'reverse_depends_on')
            FROM queue_job p
            WHERE p.id = ANY($1))
        ORDER BY c.id
        FOR UPDATE
        """;

    private const string ReleaseChildren = """
        UPDATE queue_job c
        SET state = 'pending'
        WHERE c.id = ANY($1)
          AND c.state = 'wait_dependencies'
          AND NOT EXISTS (
              SELECT 1 FROM queue_job p
              WHERE p.uuid IN (SELECT jsonb_array_elements_text(c.dependencies -> 'depends_on'))
                AND p.state <> 'done')
        """;

    private const string CancelChildren = """
        UPDATE queue_job c
        SET state = 'cancelled', date_cancelled = clock_timestamp(), result = 'Cancelled: every parent job was cancelled'
        WHERE c.id = ANY($1)
          AND c.state = 'wait_dependencies'
          AND NOT EXISTS (
              SELECT 1 FROM queue_job p
              WHERE p.uuid IN (SELECT jsonb_array_elements_text(c.dependencies -> 'depends_on'))
                AND p.state <> 'cancelled')
        RETURNING c.id
        """;

    /// <summary>Children of the done jobs whose parents are now all done become pending.</summary>
    public static async Task ReleaseAsync(Env env, long[] doneJobIds)
    {
        var children = await LockAsync(env, doneJobIds);
        if (children.Length > 0)
        {
            await env.ExecuteAsync(ReleaseChildren, children);
        }
    }

    /// <summary>Cancels, level after level, the waiting descendants whose parents are all cancelled.</summary>
    public static async Task CancelAsync(Env env, long[] cancelledJobIds)
    {
        var level = cancelledJobIds;
        while (level.Length > 0)
        {
            var children = await LockAsync(env, level);
            level = children.Length == 0 ? [] : await IdsAsync(env, CancelChildren, children);
        }
    }

    private static Task<long[]> LockAsync(Env env, long[] parentIds) => IdsAsync(env, LockChildren, parentIds);

    private static async Task<long[]> IdsAsync(Env env, string sql, long[] ids)
    {
        var result = new List<long>();
        await using var command = env.CreateCommand(sql, ids);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            result.Add(reader.GetInt64(0));
        }

        return result.ToArray();
    }
}
