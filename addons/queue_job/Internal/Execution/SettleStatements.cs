namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The outcomes of a try that failed or was postponed, each written in a transaction of its own after the job's
/// was rolled back, and only while job $1 is still try $2 (<c>try_token</c>): an outcome written late (after a lost
/// connection) never touches a job that was rescued, rerun or settled since. A done job is settled in its own
/// transaction by <see cref="ClaimStatements.SettleDoneAndHandOver"/>. queue_job's trigger wakes the runner (if it
/// sleeps) for the capacity they free.
/// </summary>
internal static class SettleStatements
{
    /// <summary>The guard of every outcome; IS TRUE keeps the plan on the primary key (see ClaimStatements.SettleDoneAndHandOver).</summary>
    private const string StillThisTry = "id = $1 AND try_token = $2 AND (state = 'started') IS TRUE";

    /// <summary>The result of a job that would have gone back to waiting while <c>twin</c> waits with its identity key.</summary>
    public const string SupersededBy = "'Cancelled: job ' || twin.uuid || ' with the same identity key waits to run'";

    /// <summary>
    /// Back to pending with an eta $3 seconds away and result $4, after a retryable error; $5 false gives the try back.
    /// When another job with the same identity key waits meanwhile, that job stands for this one: this one is cancelled.
    /// </summary>
    public const string Postpone = $$"""
        WITH twin AS (
            SELECT (SELECT t.uuid FROM queue_job t
                    WHERE t.identity_key = j.identity_key AND t.id <> j.id
                      AND t.state IN ('pending', 'enqueued', 'wait_dependencies')
                    LIMIT 1) AS uuid
            FROM queue_job j
            WHERE j.id = $1
        )
        UPDATE queue_job
        SET state = CASE WHEN twin.uuid IS NULL THEN 'pending' ELSE 'cancelled' END,
            eta = clock_timestamp() + make_interval(secs => $3),
            result = CASE WHEN twin.uuid IS NULL THEN $4 ELSE {{SupersededBy}} END,
            date_cancelled = CASE WHEN twin.uuid IS NULL THEN NULL ELSE clock_timestamp() END,
            exc_name = NULL, exc_info = NULL, date_enqueued = NULL, date_started = NULL, worker_pid = NULL,
            retry = CASE WHEN $5 THEN retry ELSE retry - 1 END
        FROM twin
        WHERE {{StillThisTry}}
        """;

    /// <summary>Failed, with exc_name $3, exc_message $4 and exc_info $5.</summary>
    public const string SetFailed = $$"""
        UPDATE queue_job
        SET state = 'failed', exc_name = $3, exc_message = $4, exc_info = $5,
            exec_time = EXTRACT(EPOCH FROM clock_timestamp() - date_started)
        WHERE {{StillThisTry}}
        """;

    /// <summary>
    /// Gives back the tries of the claims whose answer was lost ($1: their tokens): the jobs they may have started
    /// without running go back to pending, the try not counted; one whose identity key another job holds (waiting, or
    /// an earlier job of this release) is cancelled, that job standing for it.
    /// </summary>
    public const string ReleaseClaims = $$"""
        WITH claimed AS (
            SELECT j.id, (
                SELECT t.uuid FROM queue_job t
                WHERE j.identity_key IS NOT NULL AND t.identity_key = j.identity_key AND t.id <> j.id
                  AND (t.state IN ('pending', 'enqueued', 'wait_dependencies') OR (t.try_token = ANY($1) AND t.state = 'started' AND t.id < j.id))
                ORDER BY t.id
                LIMIT 1) AS twin_uuid
            FROM queue_job j
            WHERE j.try_token = ANY($1) AND j.state = 'started'
            FOR UPDATE
        )
        UPDATE queue_job j
        SET state = CASE WHEN c.twin_uuid IS NULL THEN 'pending' ELSE 'cancelled' END,
            result = CASE WHEN c.twin_uuid IS NULL THEN j.result ELSE 'Cancelled: job ' || c.twin_uuid || ' with the same identity key waits to run' END,
            date_cancelled = CASE WHEN c.twin_uuid IS NULL THEN NULL ELSE clock_timestamp() END,
            date_enqueued = NULL, date_started = NULL, worker_pid = NULL, worker_node = NULL, try_token = NULL, retry = j.retry - 1
        FROM claimed c
        WHERE j.id = c.id
        """;
}
