namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Stores a whole job graph in the caller's transaction: every job connected to the given ones, with one
/// <c>graph_uuid</c> and the uuids of its parents and children in <c>dependencies</c>.
/// </summary>
internal static class JobGraphStore
{
    public static async Task<IReadOnlyList<DelayedJob>> DelayAsync(IReadOnlyList<IDelayableJob> start)
    {
        var nodes = Connected(start);
        if (nodes.Any(n => n.Stored is null && n.Parents.Concat(n.Children).Any(linked => linked.Stored is not null)))
        {
            // A stored job's dependencies are fixed: it would never release, or wait for, a job linked to it later.
            throw new InvalidOperationException("A job cannot be linked to a job that is already delayed; build the whole graph, then delay it once.");
        }

        var prepared = nodes.Where(n => n.Stored is null).ToDictionary(n => n, n => n.Prepare());
        if (prepared.Values.Select(p => p.Records.Env.Transaction).Distinct().Count() > 1)
        {
            throw new InvalidOperationException("All jobs of a graph must be delayed from records of one transaction.");
        }

        if (nodes.Count > 1 && prepared.Values.FirstOrDefault(p => p.Options.IdentityKey is not null) is { } keyed)
        {
            // A node replaced by an existing job would leave its neighbours waiting on a job that is not stored.
            throw new InvalidOperationException($"Identity keys apply to single jobs, not to jobs of a graph ({keyed.Records}.{keyed.Call.Method.Name}).");
        }

        var graphUuid = nodes.Count > 1 ? Guid.NewGuid().ToString() : null;
        var jobs = prepared.Select(p => (Node: p.Key, Job: p.Value with
        {
            GraphUuid = graphUuid,
            DependsOn = p.Key.Parents.Select(parent => prepared[parent].Uuid).ToList(),
            ReverseDependsOn = p.Key.Children.Select(child => prepared[child].Uuid).ToList(),
        })).ToList();

        // The whole graph at once: trapped, run in graph order (no-delay), or stored in one statement.
        var delayed = await JobEnqueuer.DelayAsync(jobs.Select(j => j.Job).ToList());
        foreach (var ((node, _), result) in jobs.Zip(delayed))
        {
            node.Stored = result;
        }

        return delayed;
    }

    private static List<IDelayableJob> Connected(IEnumerable<IDelayableJob> start)
    {
        var seen = new HashSet<IDelayableJob>(ReferenceEqualityComparer.Instance);
        var ordered = new List<IDelayableJob>();
        var pending = new Queue<IDelayableJob>(start);
        while (pending.TryDequeue(out var node))
        {
            if (seen.Add(node))
            {
                ordered.Add(node);
                foreach (var next in node.Parents.Concat(node.Children))
                {
                    pending.Enqueue(next);
                }
            }
        }

        return ordered;
    }
}
