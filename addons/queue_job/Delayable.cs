using System.Linq.Expressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob;

/// <summary>
/// One job of a graph, prepared but not stored: records, properties (<see cref="Set"/>) and the call
/// (<see cref="Call(Expression{Func{T, Task}})"/>). Nothing is stored until <see cref="DelayableNode.DelayAsync"/>.
/// </summary>
/// <example>
/// <code>
/// var export = order.Delayable(channel: "root.export").Call(o =&gt; o.ExportAsync());
/// var notify = order.Delayable().Call(o =&gt; o.NotifyAsync("exported"));
/// await export.OnDone(notify).DelayAsync();
/// </code>
/// </example>
public sealed class Delayable<T>(T records, DelayOptions options) : DelayableNode, IDelayableJob where T : Model
{
    private JobCall? _call;
    private ILogger? _logger;

    /// <summary>The job properties.</summary>
    public DelayOptions Options { get; private set; } = options;

    internal override IReadOnlyList<IDelayableJob> Heads => [this];

    internal override IReadOnlyList<IDelayableJob> Tails => [this];

    List<IDelayableJob> IDelayableJob.Parents { get; } = [];

    List<IDelayableJob> IDelayableJob.Children { get; } = [];

    DelayedJob? IDelayableJob.Stored { get; set; }

    /// <summary>Changes job properties; arguments left null keep their value.</summary>
    public Delayable<T> Set(int? priority = null, DateTime? eta = null, int? maxRetries = null, string? description = null,
        string? channel = null, IdentityKey? identityKey = null)
    {
        Options = Options with
        {
            Priority = priority ?? Options.Priority, Eta = eta ?? Options.Eta, MaxRetries = maxRetries ?? Options.MaxRetries,
            Description = description ?? Options.Description, Channel = channel ?? Options.Channel, IdentityKey = identityKey ?? Options.IdentityKey,
        };
        return this;
    }

    /// <summary>The asynchronous method this job calls.</summary>
    public Delayable<T> Call(Expression<Func<T, Task>> call) => Capture(call);

    /// <summary>The synchronous method this job calls.</summary>
    public Delayable<T> Call(Expression<Action<T>> call) => Capture(call);

    NewJob IDelayableJob.Prepare() =>
        new(records, _call ?? throw new InvalidOperationException($"A delayable job on {records} has no call: add .Call(r => r.Method(...))."), Options);

    /// <summary>Warns about a job that was prepared with a call but never delayed: most likely a forgotten <c>DelayAsync()</c>.</summary>
    ~Delayable()
    {
        if (_call is not null && ((IDelayableJob)this).Stored is null)
        {
            _logger?.LogWarning("Delayable {Records}.{Method} was prepared but never delayed; call DelayAsync() on its graph", records, _call.Method.Name);
        }
    }

    private Delayable<T> Capture(LambdaExpression call)
    {
        ArgumentNullException.ThrowIfNull(call);
        _call = JobCall.Capture(call, records);
        _logger = records.Env.Database.Services.GetService<ILoggerFactory>()?.CreateLogger("PluginHost.Addons.QueueJob.Delayable");
        return this;
    }
}
