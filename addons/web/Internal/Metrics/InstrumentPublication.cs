using System.Buffers;
using System.Diagnostics.Metrics;
using Prometheus;

namespace PluginHost.Addons.Web.Internal;

/// <summary>
/// One instrument published in the exporter's registry: each measurement the listener hands over is recorded in the
/// Prometheus metric, its tags read into label values in the declared order (a missing tag is an empty value).
/// </summary>
internal abstract class InstrumentPublication(PrometheusMetric metric)
{
    public PrometheusMetric Metric { get; } = metric;

    /// <summary>The publication of <paramref name="instrument"/> as <paramref name="metric"/>; null for a kind of instrument not published.</summary>
    public static InstrumentPublication? For(Instrument instrument, PrometheusMetric metric, MetricFactory factory)
    {
        var labels = metric.Labels.ToArray();
        return instrument.GetType().GetGenericTypeDefinition() switch
        {
            var t when t == typeof(Counter<>) => new CounterPublication(metric, factory.CreateCounter(metric.Name, metric.Help, labels)),
            var t when t == typeof(Histogram<>) => new HistogramPublication(metric, factory.CreateHistogram(metric.Name, metric.Help, labels,
                new HistogramConfiguration { Buckets = HistogramPublication.BucketsOf(instrument) })),
            var t when t == typeof(ObservableGauge<>) => new GaugePublication(metric, factory.CreateGauge(metric.Name, metric.Help, labels)),
            _ => null,
        };
    }

    /// <summary>Records one measurement; called on the thread that made it, so it must be cheap and must not throw.</summary>
    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var tagNames = Metric.Tags;
        var values = ArrayPool<string>.Shared.Rent(tagNames.Count);
        try
        {
            for (var i = 0; i < tagNames.Count; i++)
            {
                values[i] = ValueOf(tags, tagNames[i]);
            }

            RecordSeries(value, values.AsSpan(0, tagNames.Count));
        }
        finally
        {
            ArrayPool<string>.Shared.Return(values, clearArray: true);
        }
    }

    /// <summary>Records one measurement of the series named by <paramref name="labelValues"/>.</summary>
    protected abstract void RecordSeries(double value, ReadOnlySpan<string> labelValues);

    private static string ValueOf(ReadOnlySpan<KeyValuePair<string, object?>> tags, string name)
    {
        foreach (var (key, value) in tags)
        {
            if (key == name)
            {
                return value as string ?? Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
            }
        }

        return "";
    }
}
