namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The claims: each marks jobs <c>started</c> as a new try of node $2 (process $1) under the try token $3, which every
/// outcome of that try is written under (<see cref="SettleStatements"/>) and which gives back a claim whose answer
/// was lost. Each returns the columns <see cref="ClaimedJob.Read"/> reads by name, and <c>claimed_from</c>: the state
/// the job was claimed from.
/// </summary>
internal static class ClaimStatements
{
    /// <summary>The SQLSTATE a settle raises (<c>queue_job_try_taken</c>, migration 0006) when a job it settles is no longer its try.</summary>
    public const string TryTaken = "QJ001";

    /// <summary>What a claim sets on the claimed row <c>j</c>.</summary>
    private const string StartTry = """
        SET state = 'started', date_started = clock_timestamp(), date_enqueued = coalesce(j.date_enqueued, clock_timestamp()),
            worker_pid = $1, worker_node = $2, try_token = $3, retry = j.retry + 1
        """;

    /// <summary>Claims <paramref name="candidates"/> (rows of id, state, channel, job_function_id, locked by the caller).</summary>
    private static string Claim(string candidates) => $$"""
        UPDATE queue_job j
        {{StartTry}}
        FROM ({{candidates}}) next
        LEFT JOIN queue_job_function f ON f.id = next.job_function_id
        WHERE j.id = next.id
        RETURNING j.id, j.uuid, j.model_name, j.method_name, j.records::text AS records, j.args::text AS args, j.user_id,
                  j.retry, j.max_retries, j.channel, j.try_token, f.retry_pattern::text AS retry_pattern, f.timeout,
                  jsonb_array_length(coalesce(j.dependencies -> 'reverse_depends_on', '[]')) > 0 AS has_dependents,
                  next.state AS claimed_from
        """;

    /// <summary>Claims up to $4 enqueued jobs, the most urgent first, in one autocommitted statement.</summary>
    public static readonly string ClaimEnqueued = Claim(Candidates(limit: "$4", excludeTimeouts: false, handOver: null));

    /// <summary>Claims the job of uuid $4 if it is enqueued (the <c>/queue_job/runjob</c> path).</summary>
    public static readonly string ClaimByUuid = Claim("""
        SELECT id, state, channel, job_function_id
        FROM queue_job
        WHERE uuid = $4 AND state = 'enqueued'
        FOR UPDATE SKIP LOCKED
        """);

    /// <summary>
    /// In the transaction of job $4 (try $5), marks it done with result $6 after $7 seconds (null: since its claim)
    /// and, when $8 and it was still this try, claims the executor's next job: the most urgent enqueued one, else the
    /// first due pending one in the runner's order (queue_job_pending_order_index), which takes the slot the finished
    /// job frees (the caller checked that its channel may hand it over, and wakes the runner when the job claimed
    /// leaves capacity to give back). Returns one row: the claimed job's columns, null when none. Raises
    /// <see cref="TryTaken"/> when the job was no longer this try, so that a COMMIT sent with it rolls back instead.
    /// </summary>
    public static readonly string SettleDoneAndHandOver = Settle(DoneOne, expected: "1", handOver: true, batch: false);

    /// <summary>
    /// <see cref="SettleDoneAndHandOver"/> where the slot may not be handed over: only an enqueued job is claimed, and
    /// the runner is woken (if it sleeps) to give the freed capacity to a pending job.
    /// </summary>
    public static readonly string SettleDoneAndWakeRunner = Settle(DoneOne, expected: "1", handOver: false, batch: false);

    /// <summary>
    /// <see cref="SettleDoneAndHandOver"/> for the jobs of a batch: $4 their ids, $5 their tries, $6 their results,
    /// $7 their durations; when $8 and all were still their tries, claims up to $9 jobs without a timeout for the
    /// slot's next batch, one row per job. Scalars for one job keep that statement's plan generic (an array's length
    /// would make PostgreSQL plan it again on every call).
    /// </summary>
    public static readonly string SettleBatchAndHandOver = Settle(DoneBatch, expected: "cardinality($4)", handOver: true, batch: true);

    /// <summary><see cref="SettleDoneAndWakeRunner"/> for the jobs of a batch, as <see cref="SettleBatchAndHandOver"/>.</summary>
    public static readonly string SettleBatchAndWakeRunner = Settle(DoneBatch, expected: "cardinality($4)", handOver: false, batch: true);

    private const string DoneOne = """
        UPDATE queue_job j
        SET state = 'done', date_done = clock_timestamp(), result = $6,
            exec_time = coalesce($7::float8, EXTRACT(EPOCH FROM clock_timestamp() - j.date_started)),
            exc_name = NULL, exc_info = NULL
        WHERE j.id = $4 AND j.try_token = $5
          -- IS TRUE keeps the plan on the primary key: through an index on state it would step over every
          -- recently finished job.
          AND (j.state = 'started') IS TRUE
        """;

    private const string DoneBatch = """
        UPDATE queue_job j
        SET state = 'done', date_done = clock_timestamp(), result = s.result,
            exec_time = coalesce(s.seconds, EXTRACT(EPOCH FROM clock_timestamp() - j.date_started)),
            exc_name = NULL, exc_info = NULL
        FROM unnest($4::bigint[], $5::uuid[], $6::text[], $7::float8[]) AS s (id, token, result, seconds)
        WHERE j.id = s.id AND j.try_token = s.token
          AND (j.state = 'started') IS TRUE
        """;

    /// <summary>
    /// The settle statement around <paramref name="done"/>, the update that marks the jobs done, claiming one next job
    /// or, for a <paramref name="batch"/>, up to $9 without a timeout. It stays small (its plan is set up and torn down
    /// on every call): the runner is woken here only where the slot is not handed over.
    /// </summary>
    private static string Settle(string done, string expected, bool handOver, bool batch) => $$"""
        WITH done AS (
            {{done}}
            RETURNING j.id
        ), candidate AS (
            SELECT c.*
            FROM ({{Candidates(limit: batch ? "$9" : "1", excludeTimeouts: batch, handOver: handOver ? "true" : null)}}) c
            WHERE $8 AND (SELECT count(*) FROM done) = {{expected}}
        ), claimed AS (
            {{Claim("SELECT * FROM candidate")}}
        ){{(handOver ? "" : """
        , wake AS (
            SELECT queue_job_wake_runner() FROM done LIMIT 1
        )
        """)}}
        SELECT CASE WHEN (SELECT count(*) FROM done) <> {{expected}} THEN queue_job_try_taken((SELECT count(*) FROM done), {{expected}}) END AS taken
               {{(handOver ? "" : ", (SELECT count(*) FROM wake)::int AS woke")}}, claimed.*
        FROM (SELECT 1) one
        LEFT JOIN claimed ON true
        """;

    /// <summary>
    /// A slot's candidates, in order, locked: the most urgent enqueued jobs, then, when <paramref name="handOver"/> (SQL,
    /// null: never) holds, the first due pending jobs in the runner's order. Jobs whose function has a timeout are left
    /// out when <paramref name="excludeTimeouts"/>.
    /// </summary>
    private static string Candidates(string limit, bool excludeTimeouts, string? handOver)
    {
        // A filter on the rows of the ordered index scan, against the functions with a timeout read once: a NOT EXISTS
        // made it an anti join, which PostgreSQL planned as a sort of every pending job whenever its statistics
        // still counted few of them (just after a bulk insert, before auto-analyze).
        string NoTimeout(string alias) => excludeTimeouts
            ? $"AND ({alias}.job_function_id = ANY (ARRAY(SELECT f.id FROM queue_job_function f WHERE f.timeout IS NOT NULL))) IS NOT TRUE"
            : "";
        var enqueued = $"""
            SELECT e.id, e.state, e.channel, e.job_function_id FROM queue_job e
            WHERE e.state = 'enqueued' {NoTimeout("e")}
            ORDER BY e.priority, e.date_created, e.id
            LIMIT {limit}
            FOR UPDATE SKIP LOCKED
            """;
        return handOver is null ? enqueued : $"""
            SELECT * FROM ({enqueued}) enqueued
            UNION ALL
            SELECT * FROM (
             SELECT p.id, p.state, p.channel, p.job_function_id FROM queue_job p
             WHERE {handOver} AND p.state = 'pending' AND (p.eta IS NULL OR p.eta <= clock_timestamp()) {NoTimeout("p")}
             ORDER BY p.priority, p.date_created, p.id
             LIMIT {limit}
             FOR UPDATE SKIP LOCKED) pending
            LIMIT {limit}
            """;
    }
}
