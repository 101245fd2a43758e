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
    /// The candidates for an executor's next job, in order: the most urgent <c>enqueued</c> job, then, when $HANDOVER
    /// (the finished job's channel may hand its slot over), the first due <c>pending</c> jobs in the runner's order
    /// (queue_job_pending_order_index). Jobs whose function has a timeout are left out when $NOTIMEOUT.
    /// </summary>
    private const string NextCandidates = """
        SELECT * FROM (
         SELECT e.id, e.state, e.channel FROM queue_job e
         WHERE e.state = 'enqueued'
           AND NOT ($NOTIMEOUT AND EXISTS (SELECT 1 FROM queue_job_function f WHERE f.id = e.job_function_id AND f.timeout IS NOT NULL))
         ORDER BY e.priority, e.date_created, e.id
         LIMIT $LIMIT
         FOR UPDATE SKIP LOCKED) enqueued
        UNION ALL
        SELECT * FROM (
         SELECT p.id, p.state, p.channel FROM queue_job p
         WHERE $HANDOVER AND p.state = 'pending' AND (p.eta IS NULL OR p.eta <= clock_timestamp())
           AND NOT ($NOTIMEOUT AND EXISTS (SELECT 1 FROM queue_job_function f WHERE f.id = p.job_function_id AND f.timeout IS NOT NULL))
         ORDER BY p.priority, p.date_created, p.id
         LIMIT $LIMIT
         FOR UPDATE SKIP LOCKED) pending
        LIMIT $LIMIT
        """;

    /// <summary>
    /// In the transaction of a batch (a channel's <c>batch=N</c>), claims up to $4 more jobs to run in it, from the
    /// candidates of a finished job's slot ($5: may hand its slot over), none with a timeout. Their claims commit with
    /// the batch. Each row also says the state the job was claimed from (<c>claimed_from</c>).
    /// </summary>
    public static readonly string ClaimAhead = $$"""
        UPDATE queue_job j
        {{StartTry}}
        FROM ({{NextCandidates.Replace("$HANDOVER", "$5").Replace("$LIMIT", "$4").Replace("$NOTIMEOUT", "true")}}) next
        WHERE j.id = next.id
        {{ClaimedColumns}}, next.state AS claimed_from
        """;

    /// <summary>
    /// In the transaction of job $4 (try $5), marks it done with result $6 after $7 seconds (null: since its claim)
    /// and, when $10 and it was still this try, claims the executor's next job from the candidates of its slot ($8:
    /// may hand it over; the hand-over takes the slot the finished job frees). The runner is woken (if it sleeps) when
    /// $11, or when capacity is freed and not handed over: no hand-over allowed, an enqueued job taken, or a job taken
    /// whose channel is not within $9, the finished job's channel. Returns one row: <c>settled</c> (1, or 0 when the
    /// job was no longer this try) and the claimed job's columns, null when none.
    /// </summary>
    public static readonly string SettleDoneAndClaimNext = Settle(
        """
        UPDATE queue_job j
        SET state = 'done', date_done = clock_timestamp(), result = $6,
            exec_time = coalesce($7::float8, EXTRACT(EPOCH FROM clock_timestamp() - j.date_started)),
            exc_name = NULL, exc_info = NULL
        WHERE j.id = $4 AND j.try_token = $5
          -- IS TRUE keeps the plan on the primary key: through an index on state it would step over every
          -- recently finished job.
          AND (j.state = 'started') IS TRUE
        """,
        expected: "1");

    /// <summary>
    /// <see cref="SettleDoneAndClaimNext"/> for the jobs of a batch: $4 their ids, $5 their tries, $6 their results,
    /// $7 their durations; the next job is claimed only when all were still their tries. Scalars for one job keep that
    /// statement's plan generic (an array's length would make PostgreSQL plan it again on every call).
    /// </summary>
    public static readonly string SettleBatchAndClaimNext = Settle(
        """
        UPDATE queue_job j
        SET state = 'done', date_done = clock_timestamp(), result = s.result,
            exec_time = coalesce(s.seconds, EXTRACT(EPOCH FROM clock_timestamp() - j.date_started)),
            exc_name = NULL, exc_info = NULL
        FROM unnest($4::bigint[], $5::uuid[], $6::text[], $7::float8[]) AS s (id, token, result, seconds)
        WHERE j.id = s.id AND j.try_token = s.token
          AND (j.state = 'started') IS TRUE
        """,
        expected: "cardinality($4)");

    /// <summary>The settle statement around <paramref name="done"/>, the update that marks the jobs done.</summary>
    private static string Settle(string done, string expected) => $$"""
        WITH done AS (
            {{done}}
            RETURNING j.id
        ), next AS (
            SELECT c.id, c.state, c.channel
            FROM ({{NextCandidates.Replace("$HANDOVER", "$8").Replace("$LIMIT", "1").Replace("$NOTIMEOUT", "false")}}) c
            WHERE $10
              AND (SELECT count(*) FROM done) = {{expected}}
        ), claimed AS (
            UPDATE queue_job j
            {{StartTry}}
            FROM next
            WHERE j.id = next.id
            {{ClaimedColumns}}
        ), wake AS (
            SELECT queue_job_wake_runner()
            FROM (SELECT count(*) AS settled FROM done) d
            LEFT JOIN next ON true
            WHERE d.settled > 0
              AND ($11 OR NOT $8 OR next.state = 'enqueued' OR NOT (next.channel = $9 OR starts_with(next.channel, $9 || '.')))
        )
        SELECT (SELECT count(*) FROM done)::int AS settled, (SELECT count(*) FROM wake)::int AS woke, claimed.*
        FROM (SELECT 1) one
        LEFT JOIN claimed ON true
        """;
}
