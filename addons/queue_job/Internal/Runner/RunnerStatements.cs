namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The job runner's SQL: its snapshot, its enqueue, its rescue of dead nodes' jobs; one statement per constant, each
/// backed by an index of the migrations.
/// </summary>
internal static class RunnerStatements
{
    /// <summary>Running jobs (enqueued or started) per job channel; few rows, bounded by the capacities.</summary>
    public const string RunningByChannel = """
        SELECT channel, count(*)::int AS running
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
        SELECT count(*) AS enqueued
        FROM queue_job
        WHERE state = 'enqueued'
        """;

    /// <summary>
    /// Cuts off the nodes taken for dead before their jobs are rescued, so no try of theirs can commit or hold locks
    /// afterwards: terminates the sessions (named <c>pluginhost &lt;node&gt;</c>) of nodes whose heartbeat is older than
    /// $1 seconds, and of nodes without a heartbeat row still holding started jobs, waiting up to 5 s for each. Never
    /// the runner's own node $2: it is alive, whatever its heartbeat says (after an outage the runner may be back first).
    /// </summary>
    public const string TerminateDeadNodes = $$"""
        SELECT count(*) FILTER (WHERE pg_terminate_backend(a.pid, 5000))
        FROM pg_stat_activity a
        WHERE a.datname = current_database()
          AND a.pid <> pg_backend_pid()
          AND a.application_name IN (
              SELECT left('{{NodeIdentity.SessionName}}' || n.id, 63) FROM queue_job_node n
              WHERE n.heartbeat < clock_timestamp() - make_interval(secs => $1) AND n.id <> $2
              UNION
              SELECT left('{{NodeIdentity.SessionName}}' || j.worker_node, 63) FROM queue_job j
              WHERE j.state = 'started' AND j.worker_node <> $2
                AND NOT EXISTS (SELECT 1 FROM queue_job_node n WHERE n.id = j.worker_node))
        """;

    /// <summary>
    /// Rescues the jobs of dead nodes and forgotten enqueued jobs: a job started on a node whose heartbeat stopped
    /// ($1 seconds) goes back to pending — that try counted — or fails when it was its last try, or is cancelled when
    /// another job with its identity key waits (or an earlier job of this rescue goes back to waiting with it); a job
    /// enqueued more than $2 seconds ago and never claimed goes back to pending. Dead nodes are forgotten. The runner's
    /// own node $3 is never taken for dead. Returns how many jobs it rescued (<c>rescued</c>), on one row per job it
    /// failed (with the job's columns, for the failure handlers), or on one row whose other columns are null.
    /// </summary>
    public const string RescueJobs = """
        WITH dead AS (
            DELETE FROM queue_job_node
            WHERE heartbeat < clock_timestamp() - make_interval(secs => $1) AND id <> $3
            RETURNING id
        ), orphaned AS (
            SELECT j.id, j.max_retries > 0 AND j.retry >= j.max_retries AS last_try, j.identity_key
            FROM queue_job j
            WHERE j.state = 'started' AND j.worker_node IS DISTINCT FROM $3
              AND (j.worker_node IN (SELECT id FROM dead)
                   OR NOT EXISTS (SELECT 1 FROM queue_job_node n WHERE n.id = j.worker_node))
              AND j.date_started < clock_timestamp() - make_interval(secs => $1)
            FOR UPDATE SKIP LOCKED
        ), back AS (
            SELECT o.id, o.last_try, (
                SELECT t.uuid FROM queue_job t
                WHERE o.identity_key IS NOT NULL AND t.identity_key = o.identity_key AND t.id <> o.id
                  AND (t.state IN ('pending', 'enqueued', 'wait_dependencies')
                       OR t.id IN (SELECT p.id FROM orphaned p WHERE NOT p.last_try AND p.id < o.id))
                ORDER BY t.id
                LIMIT 1) AS twin_uuid
            FROM orphaned o
        ), rescued AS (
            UPDATE queue_job j
            SET state = CASE WHEN r.last_try THEN 'failed' WHEN r.twin_uuid IS NOT NULL THEN 'cancelled' ELSE 'pending' END,
                exc_name = CASE WHEN r.last_try THEN 'PluginHost.Addons.QueueJob.FailedJobError' ELSE j.exc_name END,
                exc_message = CASE WHEN r.last_try
                    THEN 'Max. retries (' || j.max_retries || ') reached: the node running the job stopped' ELSE j.exc_message END,
                exc_info = CASE WHEN r.last_try
                    THEN 'Node ' || coalesce(j.worker_node, '?') || ' stopped heartbeating while running the job; no stack trace was recorded.' ELSE j.exc_info END,
                result = CASE WHEN r.twin_uuid IS NOT NULL AND NOT r.last_try
                    THEN 'Cancelled: job ' || r.twin_uuid || ' with the same identity key waits to run'
                    ELSE 'Requeued: node ' || coalesce(j.worker_node, '?') || ' stopped while running the job' END,
                date_cancelled = CASE WHEN r.twin_uuid IS NOT NULL AND NOT r.last_try THEN clock_timestamp() END,
                date_enqueued = NULL, date_started = NULL, worker_pid = NULL, worker_node = NULL, try_token = NULL
            FROM back r
            WHERE j.id = r.id
            RETURNING j.state, j.uuid, j.model_name, j.method_name, j.records, j.user_id, j.channel, j.exc_name, j.exc_message, j.exc_info,
                      j.retry, j.max_retries
        ), forgotten AS (
            UPDATE queue_job
            SET state = 'pending', date_enqueued = NULL
            WHERE state = 'enqueued'
              AND date_enqueued < clock_timestamp() - make_interval(secs => $2)
            RETURNING id
        )
        SELECT (SELECT count(*) FROM rescued) + (SELECT count(*) FROM forgotten) AS rescued,
               f.uuid, f.model_name, f.method_name, f.records, f.user_id, f.channel, f.exc_name, f.exc_message, f.exc_info, f.retry, f.max_retries
        FROM (SELECT 1) AS one
        LEFT JOIN rescued f ON f.state = 'failed'
        """;
}
