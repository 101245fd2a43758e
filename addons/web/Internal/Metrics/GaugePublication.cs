using Prometheus;

namespace PluginHost.Addons.Web.Internal;

/// <summary>
/// An <c>ObservableGauge&lt;T&gt;</c> as a Prometheus gauge, observed before each scrape: each measurement sets its
/// series, and a series the round did not observe is removed (a state or channel without jobs any more).
/// </summary>
internal sealed class GaugePublication(PrometheusMetric metric, Gauge gauge) : InstrumentPublication(metric)
{
    private readonly HashSet<string[]> _observed = new(LabelValuesComparer.Instance);

    /// <summary>Starts an observation round (rounds are serialized by the exporter).</summary>
    public void BeginRound() => _observed.Clear();

    /// <summary>Ends the round: the series it did not observe are removed.</summary>
    public void EndRound()
    {
        foreach (var values in gauge.GetAllLabelValues().Where(v => !_observed.Contains(v)).ToList())
        {
            gauge.RemoveLabelled(values);
        }
    }

    protected override void RecordSeries(double value, ReadOnlySpan<string> labelValues)
    {
        gauge.WithLabels(labelValues).Set(value);
        _observed.Add(labelValues.ToArray());
    }

    /// <summary>Label values compared as sequences.</summary>
    private sealed class LabelValuesComparer : IEqualityComparer<string[]>
    {
        public static readonly LabelValuesComparer Instance = new();

        public bool Equals(string[]? x, string[]? y) => x is not null && y is not null && x.AsSpan().SequenceEqual(y);

        public int GetHashCode(string[] obj)
        {
            var hash = new HashCode();
            foreach (var value in obj)
            {
                hash.Add(value, StringComparer.Ordinal);
            }

            return hash.ToHashCode();
        }
    }
}
