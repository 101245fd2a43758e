using Prometheus;

namespace PluginHost.Addons.Web.Internal;

/// <summary>A <c>Counter&lt;T&gt;</c> as a Prometheus counter: each measurement is an increment.</summary>
internal sealed class CounterPublication(PrometheusMetric metric, Counter counter) : InstrumentPublication(metric)
{
    protected override void RecordSeries(double value, ReadOnlySpan<string> labelValues) => counter.WithLabels(labelValues).Inc(value);
}
