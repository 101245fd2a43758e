namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The claims: each marks jobs <c>started</c> as a new try of node $2 (process $1) under the try token $3, which every
/// outcome of that try is written under (<see cref="SettleStatements"/>) and which gives back a claim whose answer
/// was lost. Each returns the columns <see cref="ClaimedJob.Read"/> reads by name.
/// </summary>
internal static class ClaimStatements
{
    /// <summary>What a claim sets on the claimed row <c>j</c>.</summary>
    private const string StartTry = """
        SET state = 'started', date_started = clock_timestamp(), date_enqueued = coalesce(j.date_enqueued, clock_timestamp()),
            worker_pid = $1, worker_node = $2, try_token = $3, retry = j.retry + 1
        """;

    /// <summary>What a claim returns: the job's call, its tries, its function's retry pattern and timeout, whether it has dependents.</summary>
    private const string ClaimedColumns = """
        RETURNING j.id, j.uuid, j.model_name, j.method_name, j.records::text AS records, j.args::text AS args, j.user_id,
                  j.retry, j.max_retries, j.channel, j.try_token,
                  (SELECT f.retry_pattern::text FROM queue_job_function f WHERE f.id = j.job_function_id) AS retry_pattern,
                  (SELECT f.timeout FROM queue_job_function f WHERE f.id = j.job_function_id) AS timeout,
                  jsonb_array_length(coalesce(j.dependencies -> 'reverse_depends_on', '[]')) > 0 AS has_dependents
        """;

    /// <summary>Claims up to $4 enqueued jobs, the most urgent first, in one autocommitted statement.</summary>
    public const string ClaimEnqueued = $$"""
        UPDATE queue_job j
        {{StartTry}}
        FROM (
            SELECT id
            FROM queue_job
            WHERE state = 'enqueued'
            ORDER BY priority, date_created, id
            LIMIT $4
            FOR UPDATE SKIP LOCKED
        ) next
        WHERE j.id = next.id
        {{ClaimedColumns}}
        """;

    /// <summary>Claims the job of uuid $4 if it is enqueued (the <c>/queue_job/runjob</c> path).</summary>
    public const string ClaimByUuid = $$"""
        UPDATE queue_job j
        {{StartTry}}
        FROM (
            SELECT id
            FROM queue_job
            WHERE uuid = $4 AND state = 'enqueued'
            FOR UPDATE SKIP LOCKED
        ) named
        WHERE j.id = named.id
        {{ClaimedColumns}}
        """;

    /// <summary>
    /// In the transaction of job $4's try $5, marks it done with result $6 and, when $9, claims the executor's next
    /// job: the most urgent enqueued job, else, when $7 (the finished job's channel may hand its slot over), the first
    /// due pending job in the runner's order (queue_job_pending_order_index), which takes the slot the finished job
    /// frees. The runner is woken (if it sleeps) when capacity is freed and not handed over: no hand-over allowed, an
    /// enqueued job taken, or a job taken whose channel is not within $8, the finished job's channel. Returns one row:
    /// <c>settled</c> (0 when the job was no longer this try: then nothing is claimed) and the claimed job's columns,
    /// null when none.
    /// </summary>
    public const string SettleDoneAndClaimNext = $$"""
        WITH done AS (
            UPDATE queue_job
            SET state = 'done', date_done = clock_timestamp(), result = $6,
                exec_time = EXTRACT(EPOCH FROM clock_timestamp() - date_started),
                exc_name = NULL, exc_info = NULL
            WHERE id = $4 AND try_token = $5 AND state = 'started'
            RETURNING id
        ), next AS (
            SELECT q.id, q.state, q.channel
            FROM queue_job q
            WHERE $9
              AND EXISTS (SELECT FROM done)
              AND q.id = coalesce(
                  (SELECT e.id FROM queue_job e
                   WHERE e.state = 'enqueued'
                   ORDER BY e.priority, e.date_created, e.id
                   LIMIT 1
                   FOR UPDATE SKIP LOCKED),
                  (SELECT p.id FROM queue_job p
                   WHERE $7 AND p.state = 'pending' AND (p.eta IS NULL OR p.eta <= clock_timestamp())
                   ORDER BY p.priority, p.date_created, p.id
                   LIMIT 1
                   FOR UPDATE SKIP LOCKED))
        ), claimed AS (
            UPDATE queue_job j
            {{StartTry}}
            FROM next
            WHERE j.id = next.id
            {{ClaimedColumns}}
        ), wake AS (
            SELECT queue_job_wake_runner()
            FROM done
            LEFT JOIN next ON true
            WHERE NOT $7 OR next.state = 'enqueued' OR NOT (next.channel = $8 OR starts_with(next.channel, $8 || '.'))
        )
        SELECT (SELECT count(*) FROM done)::int AS settled, (SELECT count(*) FROM wake)::int AS woke, claimed.*
        FROM (SELECT 1) one
        LEFT JOIN claimed ON true
        """;
}
