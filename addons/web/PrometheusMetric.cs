using System.Text.RegularExpressions;

namespace PluginHost.Addons.Web;

/// <summary>
/// Publishes one <see cref="System.Diagnostics.Metrics"/> instrument at <c>/metrics</c> under a fixed Prometheus name: a
/// <c>Counter</c> as a counter, a <c>Histogram</c> as a histogram (buckets from its advice), an <c>ObservableGauge</c>
/// as a gauge. Register as a singleton service; the instrument's own meter stays open to OpenTelemetry.
/// </summary>
/// <param name="Meter">The meter's name, e.g. <c>PluginHost.QueueJob</c>.</param>
/// <param name="Instrument">The instrument's name within the meter.</param>
/// <param name="Name">The Prometheus name, e.g. <c>queue_job_executions_total</c>.</param>
/// <param name="Help">The <c># HELP</c> text: one line, no backslash.</param>
/// <param name="Tags">The tags published as labels, in this order; a dot in a tag's name becomes <c>_</c> in the label's.</param>
public sealed partial record PrometheusMetric(string Meter, string Instrument, string Name, string Help, IReadOnlyList<string> Tags)
{
    /// <summary>The labels of the series: the tags' names with every character a label name cannot hold as <c>_</c>.</summary>
    public IReadOnlyList<string> Labels => [.. Tags.Select(t => NotInLabelName().Replace(t, "_"))];

    /// <summary>Throws naming the metric and what was expected when the name, help or a label cannot be exposed as given.</summary>
    internal void Validate()
    {
        if (!MetricName().IsMatch(Name))
        {
            throw new ArgumentException($"metric '{Name}' ({Meter}/{Instrument}): a Prometheus name is letters, digits, '_' and ':', not starting with a digit.");
        }

        if (Help.Contains('\\') || Help.Contains('\n'))
        {
            throw new ArgumentException($"metric '{Name}': its help must be one line without a backslash, got '{Help}'.");
        }

        if (Labels.FirstOrDefault(l => l.Length == 0 || char.IsAsciiDigit(l[0]) || l.StartsWith("__", StringComparison.Ordinal) || l == "le") is { } label)
        {
            throw new ArgumentException($"metric '{Name}': label '{label}' is empty, starts with a digit or '__', or is the reserved 'le'.");
        }

        if (Labels.Distinct(StringComparer.Ordinal).Count() != Labels.Count)
        {
            throw new ArgumentException($"metric '{Name}': its labels [{string.Join(", ", Labels)}] must be distinct.");
        }
    }

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("[^a-zA-Z0-9_]")]
    private static partial Regex NotInLabelName();
}
