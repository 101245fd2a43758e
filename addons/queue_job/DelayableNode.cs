namespace PluginHost.Addons.QueueJob;

/// <summary>
/// A part of a job graph: one <see cref="Delayable{T}"/>, or a chain or group of parts. Link parts with
/// <see cref="OnDone"/>, <see cref="JobGraph.Chain"/> and <see cref="JobGraph.Group"/>, then store the whole
/// connected graph with <see cref="DelayAsync"/> on any part.
/// </summary>
public abstract class DelayableNode
{
    /// <summary>The jobs that start this part: they wait for whatever runs before the part.</summary>
    internal abstract IReadOnlyList<IDelayableJob> Heads { get; }

    /// <summary>The jobs that end this part: what runs after the part waits for them.</summary>
    internal abstract IReadOnlyList<IDelayableJob> Tails { get; }

    /// <summary>Runs <paramref name="next"/> once every job ending this part is done; returns this part.</summary>
    public DelayableNode OnDone(params DelayableNode[] next)
    {
        foreach (var node in next)
        {
            Link(this, node);
        }

        return this;
    }

    /// <summary>Stores every job of the graph this part belongs to, in the records' transaction.</summary>
    public Task<IReadOnlyList<DelayedJob>> DelayAsync() => Internal.JobGraphStore.DelayAsync(Heads.Concat(Tails).ToList());

    internal static void Link(DelayableNode before, DelayableNode after)
    {
        foreach (var parent in before.Tails)
        {
            foreach (var child in after.Heads)
            {
                if (ReferenceEquals(parent, child))
                {
                    throw new ArgumentException("A job cannot depend on itself.");
                }

                parent.Children.Add(child);
                child.Parents.Add(parent);
            }
        }
    }
}

/// <summary>One job of a graph, whatever its model.</summary>
internal interface IDelayableJob
{
    List<IDelayableJob> Parents { get; }

    List<IDelayableJob> Children { get; }

    /// <summary>The job to store, or an error naming what is missing.</summary>
    Internal.NewJob Prepare();

    /// <summary>Set once stored, so a node is never stored twice.</summary>
    DelayedJob? Stored { get; set; }
}
