namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// A layered layout of a job graph: each job in the column of its longest chain of parents (roots first), and in
/// its column in the order of its parents' rows (the barycenter heuristic), which keeps most edges from crossing.
/// </summary>
internal static class JobGraphLayout
{
    /// <summary>The jobs (in id order) with their column and row; jobs on a cycle, which graphs never have, get the column their other parents give.</summary>
    public static IReadOnlyList<JobGraphNode> Arrange(IReadOnlyList<(string Uuid, string? Name, string State)> jobs, IReadOnlyList<JobGraphEdge> edges)
    {
        var parents = edges.ToLookup(e => e.To, e => e.From);
        var depths = Depths(jobs.Select(j => j.Uuid).ToList(), edges, parents);
        var rows = new Dictionary<string, int>();
        foreach (var layer in jobs.Select((job, order) => (job.Uuid, Order: order)).GroupBy(j => depths[j.Uuid]).OrderBy(g => g.Key))
        {
            var ordered = layer
                .OrderBy(j => parents[j.Uuid].Where(rows.ContainsKey).Select(p => (double?)rows[p]).Average() ?? j.Order)
                .ThenBy(j => j.Order);
            foreach (var (job, row) in ordered.Select((j, row) => (j, row)))
            {
                rows[job.Uuid] = row;
            }
        }

        return jobs.Select(j => new JobGraphNode(j.Uuid, j.Name, j.State, depths[j.Uuid], rows[j.Uuid])).ToList();
    }

    /// <summary>The longest path from a root to each job, in topological order (Kahn's algorithm).</summary>
    private static Dictionary<string, int> Depths(IReadOnlyList<string> uuids, IReadOnlyList<JobGraphEdge> edges, ILookup<string, string> parents)
    {
        var children = edges.ToLookup(e => e.From, e => e.To);
        var waiting = uuids.ToDictionary(u => u, u => parents[u].Count());
        var depths = uuids.ToDictionary(u => u, _ => 0);
        var ready = new Queue<string>(uuids.Where(u => waiting[u] == 0));
        while (ready.TryDequeue(out var uuid))
        {
            foreach (var child in children[uuid])
            {
                depths[child] = Math.Max(depths[child], depths[uuid] + 1);
                if (--waiting[child] == 0)
                {
                    ready.Enqueue(child);
                }
            }
        }

        return depths;
    }
}
