using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob;

/// <summary>
/// The job model (<c>queue.job</c>, table <c>queue_job</c>, Odoo's column names). Jobs are created through
/// <see cref="DelayExtensions.WithDelay{T}"/>, never directly.
/// </summary>
[Model("queue.job")]
public class QueueJob : Model
{
}
