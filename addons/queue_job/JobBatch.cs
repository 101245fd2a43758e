using System.Linq.Expressions;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob;

/// <summary>
/// Many delayed calls stored in one statement, for scripts and imports. Each call added gives one
/// <see cref="DelayedJob"/>, in order: the job stored, or the job already waiting with its identity key (in the
/// table, or added earlier to the same batch). All calls must come from records of one transaction. Like
/// <see cref="DelayedCall{T}.EnqueueAsync(Expression{Func{T, Task}})"/>, the calls are trapped by
/// <see cref="Testing.JobsTrap"/> and run at once in no-delay mode.
/// </summary>
/// <example>
/// <code>
/// var batch = new JobBatch();
/// foreach (var id in orderIds)
/// {
///     batch.Add(orders.Browse(id).WithDelay(priority: 5), o =&gt; o.ConfirmAsync("imported"));
/// }
/// IReadOnlyList&lt;DelayedJob&gt; jobs = await batch.EnqueueAsync();
/// </code>
/// </example>
public sealed class JobBatch
{
    private readonly List<NewJob> _jobs = [];

    /// <summary>How many calls were added.</summary>
    public int Count => _jobs.Count;

    /// <summary>Adds a call of an asynchronous method, with the properties of <paramref name="delayed"/>.</summary>
    public JobBatch Add<T>(DelayedCall<T> delayed, Expression<Func<T, Task>> call) where T : Model => AddCall(delayed, call);

    /// <summary>Adds a call of a synchronous method, with the properties of <paramref name="delayed"/>.</summary>
    public JobBatch Add<T>(DelayedCall<T> delayed, Expression<Action<T>> call) where T : Model => AddCall(delayed, call);

    /// <summary>Stores every call added, in one statement; an empty batch stores nothing.</summary>
    public async Task<IReadOnlyList<DelayedJob>> EnqueueAsync() => _jobs.Count == 0 ? [] : await JobEnqueuer.DelayAsync(_jobs);

    private JobBatch AddCall<T>(DelayedCall<T> delayed, LambdaExpression call) where T : Model
    {
        ArgumentNullException.ThrowIfNull(delayed);
        _jobs.Add(delayed.Prepare(call));
        return this;
    }
}
