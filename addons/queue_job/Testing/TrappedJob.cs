using System.Reflection;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Testing;

/// <summary>A job caught by a <see cref="JobsTrap"/> instead of being stored.</summary>
/// <param name="Records">The records the method is called on.</param>
/// <param name="Method">The method.</param>
/// <param name="Arguments">The argument values.</param>
/// <param name="Properties">Priority, eta, max retries, description, channel, identity key as given.</param>
/// <param name="Uuid">The uuid the job would have had.</param>
/// <param name="GraphUuid">The graph it belongs to, if any.</param>
/// <param name="DependsOn">Uuids of its parents in the graph.</param>
public sealed record TrappedJob(Model Records, MethodInfo Method, IReadOnlyList<object?> Arguments, DelayOptions Properties,
    string Uuid, string? GraphUuid, IReadOnlyList<string> DependsOn)
{
    /// <summary>Odoo's task text: <c>demo.order(1,).ConfirmAsync('note')</c>.</summary>
    public override string ToString() => Internal.JobEnqueuer.FuncString(Records, new Internal.JobCall(Method, Arguments));
}
