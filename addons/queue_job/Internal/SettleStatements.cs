namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The outcomes of a try that failed or was postponed, each written in a transaction of its own after the job's
/// was rolled back, and only while job $1 is still try $2 (<c>try_token</c>): an outcome written late (after a lost
/// connection) never touches a job that was rescued, rerun or settled since. A done job is settled in its own
/// transaction by <see cref="ClaimStatements.SettleDoneAndClaimNext"/>. queue_job's trigger wakes the runner (if it
/// sleeps) for the capacity they free.
/// </summary>
internal static class SettleStatements
{
    private const string StillThisTry = "id = $1 AND try_token = $2 AND state = 'started'";

    /// <summary>Back to pending with an eta $3 seconds away and result $4, after a retryable error; $5 false gives the try back.</summary>
    public const string Postpone = $$"""
        UPDATE queue_job
        SET state = 'pending', eta = clock_timestamp() + make_interval(secs => $3), result = $4,
            exc_name = NULL, exc_info = NULL, date_enqueued = NULL, date_started = NULL, worker_pid = NULL,
            retry = CASE WHEN $5 THEN retry ELSE retry - 1 END
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
    /// without running go back to pending, the try not counted.
    /// </summary>
    public const string ReleaseClaims = """
        UPDATE queue_job
        SET state = 'pending', date_enqueued = NULL, date_started = NULL, worker_pid = NULL, worker_node = NULL,
            try_token = NULL, retry = retry - 1
        WHERE try_token = ANY($1) AND state = 'started'
        """;
}
