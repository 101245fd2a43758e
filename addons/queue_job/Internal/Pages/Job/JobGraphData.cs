using System.Text.Json;
using LinqToDB;
using LinqToDB.Async;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The jobs of one graph laid out in layers (<see cref="JobGraphLayout"/>), and the edges parent → child between
/// them: at most <see cref="Cap"/> jobs, the first by id; <see cref="Total"/> says how many the graph has.
/// </summary>
internal sealed record JobGraphData(long Total, IReadOnlyList<JobGraphNode> Nodes, IReadOnlyList<JobGraphEdge> Edges)
{
    /// <summary>The most jobs a page draws: beyond, the drawing is unreadable and slow to lay out.</summary>
    public const int Cap = 300;

    /// <summary>The graph <paramref name="graphUuid"/>, along queue_job_graph_uuid_index.</summary>
    public static async Task<JobGraphData> ReadAsync(Env env, string graphUuid)
    {
        var jobs = await env.Query<QueueJobRow>()
            .Where(j => j.GraphUuid == graphUuid)
            .OrderBy(j => j.Id)
            .Take(Cap + 1)
            .Select(j => new { j.Uuid, j.Name, j.State, j.Dependencies })
            .ToListAsync(env.CancellationToken);
        var total = jobs.Count > Cap
            ? await env.Query<QueueJobRow>().LongCountAsync(j => j.GraphUuid == graphUuid, env.CancellationToken)
            : jobs.Count;
        var drawn = jobs.Take(Cap).ToList();
        var uuids = drawn.Select(j => j.Uuid).ToHashSet();
        var edges = drawn
            .SelectMany(j => Parents(j.Dependencies).Where(uuids.Contains).Select(parent => new JobGraphEdge(parent, j.Uuid)))
            .ToList();
        return new JobGraphData(total, JobGraphLayout.Arrange(drawn.Select(j => (j.Uuid, j.Name, j.State)).ToList(), edges), edges);
    }

    /// <summary>The uuids in <c>dependencies.depends_on</c>.</summary>
    private static IEnumerable<string> Parents(string dependencies)
    {
        using var document = JsonDocument.Parse(dependencies);
        return document.RootElement.TryGetProperty("depends_on", out var parents) && parents.ValueKind == JsonValueKind.Array
            ? parents.EnumerateArray().Select(p => p.GetString()).OfType<string>().ToList()
            : [];
    }
}

/// <summary>A job of a graph and its place in the drawing: its layer (<see cref="Depth"/>, left to right) and its row in it.</summary>
internal sealed record JobGraphNode(string Uuid, string? Name, string State, int Depth, int Row);

/// <summary>A dependency: <see cref="To"/> waits for <see cref="From"/>.</summary>
internal sealed record JobGraphEdge(string From, string To);
