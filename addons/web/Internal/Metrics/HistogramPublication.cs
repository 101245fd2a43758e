using System.Diagnostics.Metrics;
using Prometheus;

namespace PluginHost.Addons.Web.Internal;

/// <summary>A <c>Histogram&lt;T&gt;</c> as a Prometheus histogram: each measurement is an observation.</summary>
internal sealed class HistogramPublication(PrometheusMetric metric, Histogram histogram) : InstrumentPublication(metric)
{
    /// <summary>OpenTelemetry's default bucket bounds, for a histogram that gives no advice.</summary>
    private static readonly double[] DefaultBuckets = [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    /// <summary>The upper bounds the instrument advises (<c>InstrumentAdvice.HistogramBucketBoundaries</c>), as OpenTelemetry would use them.</summary>
    public static double[] BucketsOf(Instrument instrument) => instrument switch
    {
        Histogram<double> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds],
        Histogram<float> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds.Select(b => (double)b)],
        Histogram<long> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds.Select(b => (double)b)],
        Histogram<int> { Advice.HistogramBucketBoundaries: { } bounds } => [.. bounds.Select(b => (double)b)],
        _ => DefaultBuckets,
    };

    protected override void RecordSeries(double value, ReadOnlySpan<string> labelValues) => histogram.WithLabels(labelValues).Observe(value);
}
