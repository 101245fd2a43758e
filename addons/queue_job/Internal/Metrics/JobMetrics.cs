using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using PluginHost.Addons.Web;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// queue_job's instruments, on the meter <c>PluginHost.QueueJob</c> (open to OpenTelemetry) and published at
/// <c>/metrics</c> under their documented names: this node's executions since start, a counter by channel and outcome
/// and a histogram of their durations by channel; and the jobs of each served database by state and channel, a gauge
/// observed from the counts <see cref="JobCountsRefresh"/> keeps, so a scrape never queries a database.
/// </summary>
internal sealed class JobMetrics
{
    public const string MeterName = "PluginHost.QueueJob";

    /// <summary>Upper bounds of the duration buckets, in seconds: from a quick write to a long export.</summary>
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];

    private readonly Counter<long> _executions;
    private readonly Histogram<double> _durations;

    /// <summary>When the gauge was last observed (<see cref="Environment.TickCount64"/>), by a scrape.</summary>
    private long _observed = long.MinValue / 2;

    /// <summary>The last counts read from each served database, by database name.</summary>
    private readonly ConcurrentDictionary<string, IReadOnlyList<(string State, string Channel, long Count)>> _counts = new(StringComparer.Ordinal);

    public JobMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _executions = meter.CreateCounter<long>(Executions.Instrument, "{execution}", "Jobs run by this node, by channel and outcome (done, postponed, failed).");
        _durations = meter.CreateHistogram(ExecutionDuration.Instrument, "s", "How long this node's job executions took, by channel.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = Buckets });
        meter.CreateObservableGauge(Jobs.Instrument, ObserveCounts, "{job}", "Jobs in the database by state and channel.");
    }

    /// <summary><c>queue_job_jobs{db,state,channel}</c>.</summary>
    public static PrometheusMetric Jobs { get; } = new(MeterName, "queue_job.jobs", "queue_job_jobs",
        "Jobs in the database by state and channel.", ["db", "state", "channel"]);

    /// <summary><c>queue_job_executions_total{channel,outcome}</c>.</summary>
    public static PrometheusMetric Executions { get; } = new(MeterName, "queue_job.executions", "queue_job_executions_total",
        "Jobs run by this node, by channel and outcome (done, postponed, failed).", ["channel", "outcome"]);

    /// <summary><c>queue_job_execution_duration_seconds{channel}</c>.</summary>
    public static PrometheusMetric ExecutionDuration { get; } = new(MeterName, "queue_job.execution.duration", "queue_job_execution_duration_seconds",
        "How long this node's job executions took, by channel.", ["channel"]);

    /// <summary>Counts one execution on this node: <c>done</c>, <c>postponed</c> or <c>failed</c>, and how long it ran.</summary>
    public void Record(string channel, string outcome, TimeSpan duration)
    {
        // Tags passed inline: no array is allocated per job.
        _executions.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("outcome", outcome));
        _durations.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("channel", channel));
    }

    /// <summary>Replaces the job counts of <paramref name="database"/>, as just read.</summary>
    public void SetCounts(string database, IReadOnlyList<(string State, string Channel, long Count)> counts) => _counts[database] = counts;

    /// <summary>True once counts of <paramref name="database"/> were read.</summary>
    public bool HasCounts(string database) => _counts.ContainsKey(database);

    /// <summary>True when a scrape observed the job counts within <paramref name="span"/>.</summary>
    public bool ScrapedWithin(TimeSpan span) => Environment.TickCount64 - Interlocked.Read(ref _observed) <= span.TotalMilliseconds;

    /// <summary>Drops the counts of a database no longer served: its series leave <c>/metrics</c>.</summary>
    public void ForgetCounts(string database) => _counts.TryRemove(database, out _);

    private IEnumerable<Measurement<long>> ObserveCounts()
    {
        Interlocked.Exchange(ref _observed, Environment.TickCount64);
        foreach (var (database, counts) in _counts)
        {
            foreach (var (state, channel, count) in counts)
            {
                yield return new Measurement<long>(count, new KeyValuePair<string, object?>("db", database),
                    new KeyValuePair<string, object?>("state", state), new KeyValuePair<string, object?>("channel", channel));
            }
        }
    }
}
