using System.Linq.Expressions;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob;

/// <summary>
/// A recordset with job properties, waiting for the method call to delay. The call is captured as an
/// expression, so it is typed and survives renames; its arguments are evaluated now and stored as JSON.
/// </summary>
/// <example>
/// <code>
/// await order.WithDelay(priority: 5).EnqueueAsync(o =&gt; o.ConfirmAsync("from the shop"));
/// </code>
/// </example>
public sealed class DelayedCall<T>(T records, DelayOptions options) where T : Model
{
    /// <summary>The job properties.</summary>
    public DelayOptions Options { get; } = options;

    /// <summary>Stores a job calling an asynchronous method, in the records' transaction.</summary>
    public Task<DelayedJob> EnqueueAsync(Expression<Func<T, Task>> call) => EnqueueCallAsync(call);

    /// <summary>Stores a job calling a synchronous method, in the records' transaction.</summary>
    public Task<DelayedJob> EnqueueAsync(Expression<Action<T>> call) => EnqueueCallAsync(call);

    private async Task<DelayedJob> EnqueueCallAsync(LambdaExpression call) => (await JobEnqueuer.DelayAsync([Prepare(call)]))[0];

    /// <summary>The job this call would store; <see cref="JobBatch"/> stores many together.</summary>
    internal NewJob Prepare(LambdaExpression call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new NewJob(records, JobCall.Capture(call, records), Options);
    }
}
