namespace PluginHost.Testing.Internal;

/// <summary>The statements a test host runs on <c>queue_job</c> around the executor's own.</summary>
internal static class JobStatements
{
    /// <summary>Job $1 as a <see cref="JobRun"/> reads it, by column name.</summary>
    public const string Read = """
        SELECT uuid, coalesce(func_string, model_name || '.' || method_name) AS func_string, state, result, exc_name, exc_message, exc_info, retry, max_retries, eta
        FROM queue_job
        WHERE uuid = $1
        """;

    /// <summary>Hands pending job $1 to an executor now, whatever its eta, as the runner would.</summary>
    public const string Enqueue = """
        UPDATE queue_job
        SET state = 'enqueued', date_enqueued = clock_timestamp(), date_started = NULL, worker_pid = NULL
        WHERE uuid = $1
          AND state = 'pending'
        """;
}
