using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob;

/// <summary>
/// The job model (<c>queue.job</c>, table <c>queue_job</c>, Odoo's column names). Jobs are created through
/// <see cref="DelayExtensions.WithDelay{T}"/> or <see cref="DelayExtensions.Delayable{T}"/>, never directly; a
/// recordset of jobs offers the operator's actions: requeue, cancel, set done.
/// </summary>
[Model("queue.job")]
public class QueueJob : Model
{
    private const string Requeue = """
        UPDATE queue_job j
        SET state = CASE WHEN EXISTS (
                SELECT 1 FROM queue_job p
                WHERE p.uuid IN (SELECT jsonb_array_elements_text(j.dependencies -> 'depends_on')) AND p.state <> 'done')
                THEN 'wait_dependencies' ELSE 'pending' END,
            retry = 0, eta = NULL, date_enqueued = NULL, date_started = NULL, date_done = NULL, date_cancelled = NULL,
            worker_pid = NULL
        WHERE j.id = ANY($1) AND j.state NOT IN ('wait_dependencies', 'started')
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
    /// Runs the jobs again from the first try: pending, or waiting when a parent is not done. Jobs waiting for parents,
    /// and running ones, are left alone.
    /// </summary>
    public Task RequeueAsync() => Env.ExecuteAsync(Requeue, Ids.ToArray());

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
