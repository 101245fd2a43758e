namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The statements of a <see cref="QueueSnapshot"/>, sent in one batch. Each reads an index made for it, so a refresh
/// stays cheap with a million done jobs: the non-done states through their partial indexes, the last hour's done
/// jobs through <c>queue_job_finished_index</c>. No statement takes a lock a job transition waits for.
/// </summary>
internal static class QueueSnapshotStatements
{
    /// <summary>The database's clock, which every age and minute is measured against.</summary>
    public const string Now = "SELECT now() AS now";

    /// <summary>Jobs waiting or running or failed, by channel and state: queue_job_pending_channel_order_index, queue_job_running_index, queue_job_failed_channel_index.</summary>
    public const string JobsByChannel = """
        SELECT channel, 'pending' AS state, count(*) AS jobs
        FROM queue_job
        WHERE state = 'pending'
        GROUP BY channel
        UNION ALL
        SELECT channel, state, count(*)
        FROM queue_job
        WHERE state IN ('enqueued', 'started')
        GROUP BY channel, state
        UNION ALL
        SELECT channel, 'failed', count(*)
        FROM queue_job
        WHERE state = 'failed'
        GROUP BY channel
        """;

    /// <summary>
    /// Jobs done in the last 60 minutes (queue_job_finished_index), and jobs failed in them (when their last try ended),
    /// by channel, state and minute.
    /// </summary>
    public const string FinishedByMinute = """
        SELECT channel, 'done' AS state, date_trunc('minute', coalesce(date_done, date_cancelled, date_created)) AS minute, count(*) AS jobs
        FROM queue_job
        WHERE state = 'done'
          AND coalesce(date_done, date_cancelled, date_created) >= date_trunc('minute', now()) - interval '59 minutes'
        GROUP BY channel, minute
        UNION ALL
        SELECT channel, 'failed', date_trunc('minute', failed.at), count(*)
        FROM queue_job
        CROSS JOIN LATERAL (SELECT coalesce(date_started + make_interval(secs => coalesce(exec_time, 0)), date_created) AS at) failed
        WHERE state = 'failed'
          AND failed.at >= date_trunc('minute', now()) - interval '59 minutes'
        GROUP BY channel, 3
        """;

    /// <summary>The nodes that heartbeat within $1 seconds (the node timeout).</summary>
    public const string LiveNodes = """
        SELECT id, host, pid, date_started, channels, extract(epoch FROM now() - heartbeat)::float8 AS heartbeat_age
        FROM queue_job_node
        WHERE heartbeat > now() - make_interval(secs => $1)
        ORDER BY id
        """;

    /// <summary>The lease of the active runner, with its node's configuration; stale when not renewed within $1 seconds.</summary>
    public const string ActiveRunner = """
        SELECT r.node, r.taken, extract(epoch FROM now() - r.renewed)::float8 AS lease_age,
               r.renewed < now() - make_interval(secs => $1) AS stale, n.channels
        FROM queue_job_runner_lease r
        LEFT JOIN queue_job_node n ON n.id = r.node
        """;
}
