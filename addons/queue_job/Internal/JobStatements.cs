namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>The hot-path SQL of the job queue, one statement per constant, each backed by an index of 0001_queue_job.sql.</summary>
internal static class JobStatements
{
    /// <summary>
    /// Stores a new job (pending, or waiting for its parents) in the caller's transaction, in one round trip: the job
    /// function named $14 gives its id and, unless $13 names one, the channel (completed to <c>root.…</c>). An
    /// identity key already waiting inserts nothing.
    /// </summary>
    public const string Insert = """
        INSERT INTO queue_job (
            uuid, user_id, name, model_name, method_name, record_ids, records, args, kwargs, func_string,
            priority, eta, max_retries, channel, channel_method_name, job_function_id, identity_key,
            state, graph_uuid, dependencies)
        SELECT
            $1, $2::bigint, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, '{}'::jsonb, $9,
            $10, $11::timestamptz, $12,
            CASE WHEN channel = 'root' OR starts_with(channel, 'root.') THEN channel ELSE 'root.' || channel END,
            $14, f.id, $15::varchar,
            $16, $17::varchar, $18::jsonb
        FROM (SELECT coalesce($13::varchar, f.channel, 'root') AS channel, f.id
              FROM (SELECT 1) one
              LEFT JOIN queue_job_function f ON f.name = $14) f
        ON CONFLICT (identity_key)
            WHERE state IN ('pending', 'enqueued', 'wait_dependencies') AND identity_key IS NOT NULL
            DO NOTHING
        RETURNING id, uuid, state
        """;

    /// <summary>The waiting job holding an identity key.</summary>
    public const string FindByIdentityKey = """
        SELECT id, uuid, state
        FROM queue_job
        WHERE identity_key = $1
          AND state IN ('pending', 'enqueued', 'wait_dependencies')
        """;

    /// <summary>Running jobs (enqueued or started) per job channel; few rows, bounded by the capacities.</summary>
    public const string RunningByChannel = """
        SELECT channel, count(*)::int
        FROM queue_job
        WHERE state IN ('enqueued', 'started')
        GROUP BY channel
        """;

    /// <summary>
    /// For each channel holding pending jobs (found by a skip scan of queue_job_pending_channel_order_index): its
    /// first $1 due jobs in order, its first job still waiting for an eta, and its earliest eta, as of now().
    /// Never the whole backlog: at most $1 + 2 rows per channel.
    /// </summary>
    public const string PendingCandidates = """
        WITH RECURSIVE channels AS (
            (SELECT channel FROM queue_job WHERE state = 'pending' ORDER BY channel LIMIT 1)
            UNION ALL
            SELECT (SELECT q.channel FROM queue_job q
                    WHERE q.state = 'pending' AND q.channel > c.channel
                    ORDER BY q.channel LIMIT 1)
            FROM channels c
            WHERE c.channel IS NOT NULL
        )
        SELECT j.id, j.channel, j.priority, j.date_created, j.eta
        FROM channels c
        CROSS JOIN LATERAL (
            (SELECT id, channel, priority, date_created, eta FROM queue_job
             WHERE state = 'pending' AND channel = c.channel AND (eta IS NULL OR eta <= now())
             ORDER BY priority, date_created, id
             LIMIT $1)
            UNION ALL
            (SELECT id, channel, priority, date_created, eta FROM queue_job
             WHERE state = 'pending' AND channel = c.channel AND eta > now()
             ORDER BY priority, date_created, id
             LIMIT 1)
            UNION ALL
            (SELECT id, channel, priority, date_created, eta FROM queue_job
             WHERE state = 'pending' AND channel = c.channel AND eta > now()
             ORDER BY eta
             LIMIT 1)
        ) j
        WHERE c.channel IS NOT NULL
        """;

    /// <summary>The job channels, among $1 and their sub-channels, holding failed jobs; uses queue_job_failed_channel_index.</summary>
    public const string FailedChannels = """
        SELECT DISTINCT channel
        FROM queue_job
        WHERE state = 'failed'
          AND (channel = ANY($1) OR channel LIKE ANY(SELECT unnest($1) || '.%'))
        """;

    /// <summary>
    /// Marks the chosen jobs enqueued, those still pending, and tells the executors of every node how many with one
    /// <c>NOTIFY queue_job_enqueued</c>; returns how many it enqueued.
    /// </summary>
    public const string EnqueueChosen = $$"""
        WITH enqueued AS (
            UPDATE queue_job
            SET state = 'enqueued', date_enqueued = clock_timestamp(), date_started = NULL, worker_pid = NULL
            WHERE id = ANY($1)
              AND state = 'pending'
            RETURNING 1
        ), wake AS (
            SELECT pg_notify('{{ExecutorWakeUp.Channel}}', count(*)::text)
            FROM enqueued
            HAVING count(*) > 0
        )
        SELECT (SELECT count(*) FROM enqueued)::int AS enqueued, (SELECT count(*) FROM wake)::int AS notified
        """;

    /// <summary>How many jobs wait for an executor; uses queue_job_running_index.</summary>
    public const string CountEnqueued = """
        SELECT count(*)
        FROM queue_job
        WHERE state = 'enqueued'
        """;

    /// <summary>
    /// Rescues the jobs of dead nodes and forgotten enqueued jobs: a job started on a node whose heartbeat stopped
    /// ($1 seconds) goes back to pending — that try counted — or fails when it was its last try; a job enqueued
    /// more than $2 seconds ago and never claimed goes back to pending. Dead nodes are forgotten.
    /// </summary>
    public const string RescueJobs = """
        WITH dead AS (
            DELETE FROM queue_job_node
            WHERE heartbeat < clock_timestamp() - make_interval(secs => $1)
            RETURNING id
        ), orphaned AS (
            SELECT j.id
            FROM queue_job j
            WHERE j.state = 'started'
              AND (j.worker_node IN (SELECT id FROM dead)
                   OR NOT EXISTS (SELECT 1 FROM queue_job_node n WHERE n.id = j.worker_node))
              AND j.date_started < clock_timestamp() - make_interval(secs => $1)
            FOR UPDATE SKIP LOCKED
        ), rescued AS (
            UPDATE queue_job j
            SET state = CASE WHEN j.max_retries > 0 AND j.retry >= j.max_retries THEN 'failed' ELSE 'pending' END,
                exc_name = CASE WHEN j.max_retries > 0 AND j.retry >= j.max_retries THEN 'PluginHost.Addons.QueueJob.FailedJobError' ELSE j.exc_name END,
                exc_message = CASE WHEN j.max_retries > 0 AND j.retry >= j.max_retries
                    THEN 'Max. retries (' || j.max_retries || ') reached: the node running the job stopped' ELSE j.exc_message END,
                result = 'Requeued: node ' || coalesce(j.worker_node, '?') || ' stopped while running the job',
                date_enqueued = NULL, date_started = NULL, worker_pid = NULL, worker_node = NULL, try_token = NULL
            FROM orphaned
            WHERE j.id = orphaned.id
            RETURNING j.id
        ), forgotten AS (
            UPDATE queue_job
            SET state = 'pending', date_enqueued = NULL
            WHERE state = 'enqueued'
              AND date_enqueued < clock_timestamp() - make_interval(secs => $2)
            RETURNING id
        )
        SELECT (SELECT count(*) FROM rescued) + (SELECT count(*) FROM forgotten)
        """;

    /// <summary>
    /// Deletes up to $1 done or cancelled jobs older than their channel's retention (<c>removal_interval</c> days; a
    /// channel without a record uses its nearest ancestor's, then root's). Run in a loop until it deletes nothing.
    /// </summary>
    public const string VacuumBatch = """
        WITH retention AS (
            SELECT complete_name, removal_interval FROM queue_job_channel
        ), expired AS (
            SELECT j.id
            FROM queue_job j
            WHERE j.state IN ('done', 'cancelled')
              AND coalesce(j.date_done, j.date_cancelled, j.date_created) < clock_timestamp() - make_interval(days => coalesce(
                  (SELECT r.removal_interval FROM retention r
                   WHERE j.channel = r.complete_name OR j.channel LIKE r.complete_name || '.%'
                   ORDER BY length(r.complete_name) DESC LIMIT 1),
                  30))
            LIMIT $1
            FOR UPDATE SKIP LOCKED
        )
        DELETE FROM queue_job
        WHERE id IN (SELECT id FROM expired)
        """;
}
