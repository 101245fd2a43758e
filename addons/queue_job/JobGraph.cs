namespace PluginHost.Addons.QueueJob;

/// <summary>Builds job graphs from delayable parts, as upstream's <c>chain()</c> and <c>group()</c>.</summary>
/// <example>
/// <code>
/// // A, then B and C in parallel, then D once both are done.
/// await JobGraph.Chain(a, JobGraph.Group(b, c), d).DelayAsync();
/// </code>
/// </example>
public static class JobGraph
{
    /// <summary>Parts that run one after the other.</summary>
    public static DelayableNode Chain(params DelayableNode[] parts) => new DelayableChain(parts);

    /// <summary>Parts that run side by side.</summary>
    public static DelayableNode Group(params DelayableNode[] parts) => new DelayableGroup(parts);

    private sealed class DelayableChain : DelayableNode
    {
        private readonly IReadOnlyList<DelayableNode> _parts;

        public DelayableChain(IReadOnlyList<DelayableNode> parts)
        {
            if (parts.Count == 0)
            {
                throw new ArgumentException("A chain needs at least one part.", nameof(parts));
            }

            _parts = parts;
            for (var i = 1; i < parts.Count; i++)
            {
                Link(parts[i - 1], parts[i]);
            }
        }

        internal override IReadOnlyList<IDelayableJob> Heads => _parts[0].Heads;

        internal override IReadOnlyList<IDelayableJob> Tails => _parts[^1].Tails;
    }

    private sealed class DelayableGroup : DelayableNode
    {
        private readonly IReadOnlyList<DelayableNode> _parts;

        public DelayableGroup(IReadOnlyList<DelayableNode> parts) =>
            _parts = parts.Count > 0 ? parts : throw new ArgumentException("A group needs at least one part.", nameof(parts));

        internal override IReadOnlyList<IDelayableJob> Heads => _parts.SelectMany(p => p.Heads).Distinct().ToList();

        internal override IReadOnlyList<IDelayableJob> Tails => _parts.SelectMany(p => p.Tails).Distinct().ToList();
    }
}
