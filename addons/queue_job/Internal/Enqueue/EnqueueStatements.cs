namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>The SQL that stores jobs, one statement per constant.</summary>
internal static class EnqueueStatements
{
    /// <summary>
    /// Stores new jobs (pending, or waiting for their parents) in the caller's transaction, any number in one
    /// statement: one array per column, element i of each describing job i. The job function named by
    /// channel_method_name gives its id and, unless the job names one, the channel (completed to <c>root.…</c>). A job
    /// whose identity key already waits, in the table or earlier in the same statement, is not inserted.
    /// </summary>
    public const string InsertJobs = """
        INSERT INTO queue_job (
            uuid, user_id, name, model_name, method_name, record_ids, records, args, kwargs, func_string,
            priority, eta, max_retries, channel, channel_method_name, job_function_id, identity_key,
            state, graph_uuid, dependencies)
        SELECT
            n.uuid, n.user_id, n.name, n.model_name, n.method_name, n.record_ids::jsonb, n.records::jsonb, n.args::jsonb, '{}'::jsonb, n.func_string,
            n.priority, n.eta, n.max_retries,
            CASE WHEN c.channel = 'root' OR starts_with(c.channel, 'root.') THEN c.channel ELSE 'root.' || c.channel END,
            n.channel_method_name, f.id, n.identity_key,
            n.state, n.graph_uuid, n.dependencies::jsonb
        FROM unnest($1::varchar[], $2::bigint[], $3::varchar[], $4::varchar[], $5::varchar[], $6::text[], $7::text[], $8::text[], $9::varchar[],
                    $10::int[], $11::timestamptz[], $12::int[], $13::varchar[], $14::varchar[], $15::varchar[], $16::varchar[], $17::varchar[], $18::text[])
             WITH ORDINALITY AS n (uuid, user_id, name, model_name, method_name, record_ids, records, args, func_string,
                                   priority, eta, max_retries, channel, channel_method_name, identity_key, state, graph_uuid, dependencies, position)
        LEFT JOIN queue_job_function f ON f.name = n.channel_method_name
        CROSS JOIN LATERAL (SELECT coalesce(n.channel, f.channel, 'root') AS channel) c
        ORDER BY n.position
        ON CONFLICT (identity_key)
            WHERE state IN ('pending', 'enqueued', 'wait_dependencies') AND identity_key IS NOT NULL
            DO NOTHING
        RETURNING id, uuid, state
        """;

    /// <summary>
    /// <see cref="InsertJobs"/> for one job, its columns as scalars in the same order: the statement keeps a generic
    /// plan (with arrays PostgreSQL would plan it again on every call, not knowing their length).
    /// </summary>
    public const string InsertJob = """
        INSERT INTO queue_job (
            uuid, user_id, name, model_name, method_name, record_ids, records, args, kwargs, func_string,
            priority, eta, max_retries, channel, channel_method_name, job_function_id, identity_key,
            state, graph_uuid, dependencies)
        SELECT
            $1, $2::bigint, $3, $4, $5, $6::jsonb, $7::jsonb, $8::jsonb, '{}'::jsonb, $9,
            $10, $11::timestamptz, $12,
            CASE WHEN c.channel = 'root' OR starts_with(c.channel, 'root.') THEN c.channel ELSE 'root.' || c.channel END,
            $14, c.id, $15::varchar,
            $16, $17::varchar, $18::jsonb
        FROM (SELECT coalesce($13::varchar, f.channel, 'root') AS channel, f.id
              FROM (SELECT 1) one
              LEFT JOIN queue_job_function f ON f.name = $14) c
        ON CONFLICT (identity_key)
            WHERE state IN ('pending', 'enqueued', 'wait_dependencies') AND identity_key IS NOT NULL
            DO NOTHING
        RETURNING id, uuid, state
        """;

    /// <summary>The waiting jobs holding the identity keys $1.</summary>
    public const string FindByIdentityKeys = """
        SELECT id, uuid, state, identity_key
        FROM queue_job
        WHERE identity_key = ANY($1)
          AND state IN ('pending', 'enqueued', 'wait_dependencies')
        """;
}
