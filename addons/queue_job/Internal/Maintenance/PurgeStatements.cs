namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>The SQL of the purge of expired jobs.</summary>
internal static class PurgeStatements
{
    /// <summary>
    /// Deletes up to $1 done or cancelled jobs older than their channel's retention (<c>removal_interval</c> days; a
    /// channel without a record uses its nearest ancestor's, then 30), oldest first through queue_job_finished_index,
    /// never waiting for a locked row. Run in a loop until it deletes fewer than $1.
    /// </summary>
    public const string PurgeBatch = """
        WITH retention AS (
            SELECT complete_name, removal_interval FROM queue_job_channel
        ), expired AS (
            SELECT j.id
            FROM queue_job j
            WHERE j.state IN ('done', 'cancelled')
              AND coalesce(j.date_done, j.date_cancelled, j.date_created)
                  < clock_timestamp() - make_interval(days => (SELECT least(30, min(removal_interval)) FROM retention))
              AND coalesce(j.date_done, j.date_cancelled, j.date_created) < clock_timestamp() - make_interval(days => coalesce(
                  (SELECT r.removal_interval FROM retention r
                   WHERE j.channel = r.complete_name OR starts_with(j.channel, r.complete_name || '.')
                   ORDER BY length(r.complete_name) DESC LIMIT 1),
                  30))
            ORDER BY coalesce(j.date_done, j.date_cancelled, j.date_created)
            LIMIT $1
            FOR UPDATE SKIP LOCKED
        )
        DELETE FROM queue_job
        WHERE id IN (SELECT id FROM expired)
        """;
}
