using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob;

/// <summary>The entry point of the delay API on every recordset, as Odoo's <c>with_delay()</c>.</summary>
public static class DelayExtensions
{
    /// <summary>
    /// The records with job properties; call <c>EnqueueAsync(r =&gt; r.Method(args))</c> on the result to store
    /// the job in the records' transaction.
    /// </summary>
    public static DelayedCall<T> WithDelay<T>(this T records, int? priority = null, DateTime? eta = null, int? maxRetries = null,
        string? description = null, string? channel = null, IdentityKey? identityKey = null) where T : Model
    {
        ArgumentNullException.ThrowIfNull(records);
        return new DelayedCall<T>(records, Options(priority, eta, maxRetries, description, channel, identityKey));
    }

    /// <summary>
    /// A job of a graph, as Odoo's <c>delayable()</c>: add the call with <c>.Call(r =&gt; r.Method(args))</c>, link it
    /// with <c>OnDone</c>, <see cref="JobGraph.Chain"/> or <see cref="JobGraph.Group"/>, then <c>DelayAsync()</c>.
    /// </summary>
    public static Delayable<T> Delayable<T>(this T records, int? priority = null, DateTime? eta = null, int? maxRetries = null,
        string? description = null, string? channel = null, IdentityKey? identityKey = null) where T : Model
    {
        ArgumentNullException.ThrowIfNull(records);
        return new Delayable<T>(records, Options(priority, eta, maxRetries, description, channel, identityKey));
    }

    /// <summary>
    /// Auto-delay with the default job properties: <c>records.WithDelay().AutoDelayAsync(call, contextKey)</c>
    /// (<see cref="DelayedCall{T}.AutoDelayAsync"/>). Called at the top of the method <paramref name="call"/> names, it
    /// returns the stored job outside a job, and null (run the body) inside it.
    /// </summary>
    /// <example>
    /// <code>
    /// public async Task RefreshAsync()
    /// {
    ///     if (await this.AutoDelayAsync(r =&gt; r.RefreshAsync()) is not null) return;
    ///     // the refresh itself, run by the job
    /// }
    /// </code>
    /// </example>
    public static Task<DelayedJob?> AutoDelayAsync<T>(this T records, Expression<Func<T, Task>> call, string? contextKey = null,
        [CallerMemberName] string caller = "") where T : Model =>
        records.WithDelay().AutoDelayAsync(call, contextKey, caller);

    private static DelayOptions Options(int? priority, DateTime? eta, int? maxRetries, string? description, string? channel, IdentityKey? identityKey) =>
        maxRetries < 0
            ? throw new ArgumentOutOfRangeException(nameof(maxRetries), maxRetries, "maxRetries must be 0 (retry forever) or more.")
            : new DelayOptions { Priority = priority, Eta = eta, MaxRetries = maxRetries, Description = description, Channel = channel, IdentityKey = identityKey };
}
