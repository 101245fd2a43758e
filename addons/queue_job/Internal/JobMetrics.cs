using System.Globalization;
using PluginHost.Addons.Web;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// queue_job's metrics: jobs by state and channel (from the table), and this node's executions by outcome with
/// their total duration (counted in process since start).
/// </summary>
internal sealed class JobMetrics : IMetricsSource
{
    private const string JobsByStateAndChannel = """
        SELECT state, channel, count(*)
        FROM queue_job
        GROUP BY state, channel
        ORDER BY state, channel
        """;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _executions = new(StringComparer.Ordinal);
    private double _seconds;

    /// <summary>Counts one execution on this node: <c>done</c>, <c>postponed</c> or <c>failed</c>, and how long it ran.</summary>
    public void Record(string outcome, TimeSpan duration)
    {
        lock (_lock)
        {
            _executions[outcome] = _executions.GetValueOrDefault(outcome) + 1;
            _seconds += duration.TotalSeconds;
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

        KeyValuePair<string, long>[] executions;
        double seconds;
        lock (_lock)
        {
            executions = _executions.OrderBy(e => e.Key, StringComparer.Ordinal).ToArray();
            seconds = _seconds;
        }

        await writer.WriteLineAsync("# HELP queue_job_executions_total Jobs run by this node, by outcome.");
        await writer.WriteLineAsync("# TYPE queue_job_executions_total counter");
        foreach (var (outcome, count) in executions)
        {
            await writer.WriteLineAsync($"queue_job_executions_total{{outcome=\"{outcome}\"}} {count}");
        }

        await writer.WriteLineAsync("# HELP queue_job_execution_seconds_total Time this node spent running jobs.");
        await writer.WriteLineAsync("# TYPE queue_job_execution_seconds_total counter");
        await writer.WriteLineAsync($"queue_job_execution_seconds_total {seconds.ToString("0.######", CultureInfo.InvariantCulture)}");
    }

    private static string Escape(string value) => value.Replace("\\", "\\\\").Replace("\"", "\\\"");
}
