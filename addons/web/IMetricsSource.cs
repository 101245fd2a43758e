using PluginHost.Sdk;

namespace PluginHost.Addons.Web;

/// <summary>
/// Contributes lines to <c>/metrics</c>, the Prometheus text endpoint of the web addon. Register implementations as
/// singleton services; each writes its own <c># HELP</c>, <c># TYPE</c> and sample lines.
/// </summary>
public interface IMetricsSource
{
    /// <summary>Writes the source's metrics in the Prometheus text format.</summary>
    Task WriteAsync(TextWriter writer, Env env);
}
