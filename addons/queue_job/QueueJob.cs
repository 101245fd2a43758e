using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob;

/// <summary>
/// The job model (<c>queue.job</c>, table <c>queue_job</c>, Odoo's column names). Jobs are created through
/// <see cref="DelayExtensions.WithDelay{T}"/> or <see cref="DelayExtensions.Delayable{T}"/>, never directly; a
/// recordset of jobs offers the operator's actions: requeue, cancel, set done.
/// </summary>
[Model("queue.job")]
public class QueueJob : Model<QueueJobRow>
{
    /// <summary>
    /// Back to pending (or waiting for parents) from the first try. A job whose identity key another job holds (one
    /// waiting, or an earlier job of the same requeue) is skipped: that job already stands for it.
    /// </summary>
    private const string Requeue = """
        WITH chosen AS (
            SELECT j.id,
                   j.identity_key IS NOT NULL AND (
                       row_number() OVER (PARTITION BY j.identity_key ORDER BY j.id) > 1
                       OR EXISTS (SELECT 1 FROM queue_job t
                                  WHERE t.identity_key = j.identity_key AND t.id <> j.id
                                    AND t.state IN ('pending', 'enqueued', 'wait_dependencies'))) AS key_held
            FROM queue_job j
            WHERE j.id = ANY($1) AND j.state NOT IN ('wait_dependencies', 'started')
        )
        UPDATE queue_job j
        SET state = CASE WHEN EXISTS (
                SELECT 1 FROM queue_job p
                WHERE p.uuid IN (SELECT jsonb_array_elements_text(j.dependencies -> 'depends_on')) AND p.state <> 'done')
                THEN 'wait_dependencies' ELSE 'pending' END,
            retry = 0, eta = NULL, date_enqueued = NULL, date_started = NULL, date_done = NULL, date_cancelled = NULL,
            worker_pid = NULL
        FROM chosen
        WHERE j.id = chosen.id AND NOT chosen.key_held
        """;

    private const string Cancel = """
        UPDATE queue_job
        SET state = 'cancelled', date_cancelled = clock_timestamp(), result = 'Cancelled by ' || $2
        WHERE id = ANY($1) AND state IN ('wait_dependencies', 'pending', 'enqueued', 'failed')
        RETURNING id
        """;

    private const string SetDone = """
        UPDATE queue_job
        SET state = 'done', date_done = clock_timestamp(), result = 'Manually set to done by ' || $2,
            exc_name = NULL, exc_info = NULL
        WHERE id = ANY($1) AND state <> 'started'
        RETURNING id
        """;

    private const string GraphEdges = """
        SELECT parent.id, child.id
        FROM queue_job parent
        JOIN queue_job child ON child.graph_uuid = parent.graph_uuid
         AND child.uuid IN (SELECT jsonb_array_elements_text(parent.dependencies -> 'reverse_depends_on'))
        WHERE parent.graph_uuid = (SELECT graph_uuid FROM queue_job WHERE id = $1)
        ORDER BY parent.id, child.id
        """;

    /// <summary>How many jobs share this job's graph; 0 for a job outside any graph (Odoo's <c>graph_jobs_count</c>).</summary>
    public async Task<long> GraphJobsCountAsync() =>
        await Env.ScalarAsync<long?>("SELECT count(*) FROM queue_job WHERE graph_uuid = (SELECT graph_uuid FROM queue_job WHERE id = $1)", Id) ?? 0;

    /// <summary>The job ids of this job's graph and its edges (parent, child), as Odoo's <c>dependency_graph</c>; empty outside a graph.</summary>
    public async Task<(IReadOnlyList<long> Nodes, IReadOnlyList<(long Parent, long Child)> Edges)> DependencyGraphAsync()
    {
        var nodes = (await SearchAsync("graph_uuid = (SELECT graph_uuid FROM queue_job WHERE id = $1)", Id)).Ids;
        var edges = new List<(long, long)>();
        await using var command = Env.CreateCommand(GraphEdges, Id);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            edges.Add((reader.GetInt64(0), reader.GetInt64(1)));
        }

        return (nodes, edges);
    }

    /// <summary>
    /// Runs the jobs again from the first try: pending, or waiting when a parent is not done; returns how many. Jobs
    /// waiting for parents, running ones, and ones whose identity key a waiting job holds are left alone.
    /// </summary>
    public Task<int> RequeueAsync() => Env.ExecuteAsync(Requeue, Ids.ToArray());

    /// <summary>Cancels the jobs not started or done, and the waiting jobs whose parents are then all cancelled.</summary>
    public async Task CancelAsync()
    {
        var cancelled = await IdsAsync(Cancel);
        await JobDependencies.CancelAsync(Env, cancelled);
    }

    /// <summary>Marks the jobs done (not a running one) and releases the jobs waiting for them.</summary>
    public async Task SetDoneAsync()
    {
        var done = await IdsAsync(SetDone);
        await JobDependencies.ReleaseAsync(Env, done);
    }

    private async Task<long[]> IdsAsync(string sql)
    {
        var userName = await Env.ScalarAsync<string>("SELECT name FROM res_users WHERE id = $1", Env.Uid) ?? $"user {Env.Uid}";
        var ids = new List<long>();
        await using var command = Env.CreateCommand(sql, Ids.ToArray(), userName);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids.ToArray();
    }
}
