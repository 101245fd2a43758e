using System.Linq.Expressions;
using System.Runtime.CompilerServices;
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

    /// <summary>
    /// Auto-delay (upstream's <c>_patch_job_auto_delay</c>), at the top of the method <paramref name="call"/> names:
    /// outside a job, stores a job calling it and returns that job, for the method to return at once; returns null,
    /// for the method to run its body, when it runs as its job (context <c>job_uuid</c>), when the context sets
    /// <c>_job_force_sync</c>, in synchronous mode (<c>queue_job__no_delay</c>), or when <paramref name="contextKey"/> is
    /// given and not true in the context.
    /// </summary>
    /// <example>
    /// <code>
    /// public async Task ExportAsync(string target)
    /// {
    ///     if (await this.WithDelay(priority: 20).AutoDelayAsync(o =&gt; o.ExportAsync(target)) is not null) return;
    ///     // the export itself, run by the job
    /// }
    /// </code>
    /// </example>
    /// <exception cref="ArgumentException"><paramref name="call"/> is not a call of the method it is called from.</exception>
    public Task<DelayedJob?> AutoDelayAsync(Expression<Func<T, Task>> call, string? contextKey = null, [CallerMemberName] string caller = "")
    {
        ArgumentNullException.ThrowIfNull(call);
        return AutoDelay.DelayAsync(records, Options, call, contextKey, caller);
    }

    private async Task<DelayedJob> EnqueueCallAsync(LambdaExpression call) => (await JobEnqueuer.DelayAsync([Prepare(call)]))[0];

    /// <summary>The job this call would store; <see cref="JobBatch"/> stores many together.</summary>
    internal NewJob Prepare(LambdaExpression call)
    {
        ArgumentNullException.ThrowIfNull(call);
        return new NewJob(records, JobCall.Capture(call, records), Options);
    }
}
