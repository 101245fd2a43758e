using System.Globalization;
using PluginHost.Addons.Web;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// queue_job's metrics: jobs by state and channel (from the table), and this node's executions since start: a
/// counter by channel and outcome, and a histogram of their durations by channel.
/// </summary>
internal sealed class JobMetrics : IMetricsSource
{
    private const string JobsByStateAndChannel = """
        SELECT state, channel, count(*)
        FROM queue_job
        GROUP BY state, channel
        ORDER BY state, channel
        """;

    /// <summary>Upper bounds of the duration buckets, in seconds: from a quick write to a long export.</summary>
    private static readonly double[] Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900];

    private readonly Lock _lock = new();
    private readonly SortedDictionary<(string Channel, string Outcome), long> _executions = new();
    private readonly SortedDictionary<string, Histogram> _durations = new(StringComparer.Ordinal);

    /// <summary>Counts one execution on this node: <c>done</c>, <c>postponed</c> or <c>failed</c>, and how long it ran.</summary>
    public void Record(string channel, string outcome, TimeSpan duration)
    {
        lock (_lock)
        {
            _executions[(channel, outcome)] = _executions.GetValueOrDefault((channel, outcome)) + 1;
            if (!_durations.TryGetValue(channel, out var histogram))
            {
                _durations[channel] = histogram = new Histogram(new long[Buckets.Length]);
            }

            var bucket = Array.FindIndex(Buckets, bound => duration.TotalSeconds <= bound);
            if (bucket >= 0)
            {
                histogram.Counts[bucket]++;
            }

            histogram.Count++;
            histogram.Sum += duration.TotalSeconds;
        }
    }

    public async Task WriteAsync(TextWriter writer, Env env)
    {
        await writer.WriteLineAsync("# HELP queue_job_jobs Jobs in the database by state and channel.");
        await writer.WriteLineAsync("# TYPE queue_job_jobs gauge");
        await using (var command = env.CreateCommand(JobsByStateAndChannel))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                await writer.WriteLineAsync($"queue_job_jobs{{state=\"{reader.GetString(0)}\",channel=\"{Escape(reader.GetString(1))}\"}} {reader.GetInt64(2)}");
            }
        }

        var text = new System.Text.StringBuilder();
        lock (_lock)
        {
            text.AppendLine("# HELP queue_job_executions_total Jobs run by this node, by channel and outcome (done, postponed, failed).");
            text.AppendLine("# TYPE queue_job_executions_total counter");
            foreach (var ((channel, outcome), count) in _executions)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"queue_job_executions_total{{channel=\"{Escape(channel)}\",outcome=\"{outcome}\"}} {count}");
            }

            text.AppendLine("# HELP queue_job_execution_duration_seconds How long this node's job executions took, by channel.");
            text.AppendLine("# TYPE queue_job_execution_duration_seconds histogram");
            foreach (var (channel, histogram) in _durations)
            {
                var label = $"channel=\"{Escape(channel)}\"";
                long cumulative = 0;
                for (var i = 0; i < Buckets.Length; i++)
                {
                    cumulative += histogram.Counts[i];
                    text.AppendLine(CultureInfo.InvariantCulture, $"queue_job_execution_duration_seconds_bucket{{{label},le=\"{Buckets[i]}\"}} {cumulative}");
                }

                text.AppendLine(CultureInfo.InvariantCulture, $"queue_job_execution_duration_seconds_bucket{{{label},le=\"+Inf\"}} {histogram.Count}");
                text.AppendLine(CultureInfo.InvariantCulture, $"queue_job_execution_duration_seconds_sum{{{label}}} {histogram.Sum:0.######}");
                text.AppendLine(CultureInfo.InvariantCulture, $"queue_job_execution_duration_seconds_count{{{label}}} {histogram.Count}");
            }
        }

        await writer.WriteAsync(text.ToString());
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"");

    /// <summary>Per-bucket (not cumulative) counts, total count and sum of one channel's durations.</summary>
    private sealed class Histogram(long[] counts)
    {
        public long[] Counts { get; } = counts;

        public long Count { get; set; }

        public double Sum { get; set; }
    }
}
