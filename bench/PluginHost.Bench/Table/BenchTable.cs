using System.Globalization;
using System.Text;

namespace PluginHost.Bench.Table;

/// <summary>
/// The rounds of every scenario and system, printed as one markdown table: medians over the rounds, every figure
/// followed by its ratio to the scenario's reference (the bare-SQL ceiling), and failed runs named in the notes.
/// </summary>
internal sealed class BenchTable(IReadOnlyList<IScenario> scenarios)
{
    private readonly Dictionary<(IScenario, string), List<Measurement>> _runs = [];
    private readonly Dictionary<(IScenario, string), string> _failures = [];

    public bool HasFailures => _failures.Count > 0;

    public void Add(IScenario scenario, string system, Measurement measurement)
    {
        if (!_runs.TryGetValue((scenario, system), out var runs))
        {
            _runs[(scenario, system)] = runs = [];
        }

        runs.Add(measurement);
    }

    public void Fail(IScenario scenario, string system, string reason) => _failures[(scenario, system)] = reason;

    public string Render()
    {
        var text = new StringBuilder();
        text.AppendLine("| scenario | system | jobs/s | × ref | host CPU ms/job | PostgreSQL CPU ms/job | transactions/job | statements/job | commit → start p50 / p95 / p99 / max ms | load 1 min | notes |");
        text.AppendLine("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|");
        foreach (var scenario in scenarios)
        {
            // Systems left out (--without) were neither run nor failed.
            foreach (var system in scenario.Systems.Where(s => _runs.ContainsKey((scenario, s)) || _failures.ContainsKey((scenario, s))))
            {
                text.AppendLine(Row(scenario, system));
            }
        }

        return text.ToString();
    }

    private string Row(IScenario scenario, string system)
    {
        var failure = _failures.GetValueOrDefault((scenario, system));
        if (!_runs.TryGetValue((scenario, system), out var runs))
        {
            return $"| {scenario.Title} | {system} | | | | | | | | | FAILED: {failure} |";
        }

        var reference = scenario.Reference is { } name && name != system ? _runs.GetValueOrDefault((scenario, name)) : null;
        string Cell(Func<Measurement, double> figure, string format)
        {
            if (runs.Any(r => r.Usage is null))
            {
                return "";
            }

            var value = Median(runs, figure);
            var cell = value.ToString(format, CultureInfo.InvariantCulture);
            return reference is null ? cell : $"{cell} ({Ratio(value, Median(reference, figure))})";
        }

        var jobsPerSecond = Median(runs, m => m.JobsPerSecond);
        var latencies = runs.Where(r => r.Latencies is not null).Select(r => r.Latencies!).ToList();
        var notes = string.Join("; ", new[] { runs[^1].Note, failure is null ? null : "FAILED: " + failure, $"{runs.Count} round(s)" }.Where(n => n is not null));
        return string.Join(" | ",
            "| " + scenario.Title, system,
            latencies.Count > 0 ? "" : jobsPerSecond.ToString("N0", CultureInfo.InvariantCulture),
            reference is null || latencies.Count > 0 ? "" : Ratio(jobsPerSecond, Median(reference, m => m.JobsPerSecond)),
            Cell(m => m.PerJob(m.Usage!.HostCpu.TotalMilliseconds), "0.000"),
            Cell(m => m.PerJob(m.Usage!.PostgresCpu.TotalMilliseconds), "0.000"),
            Cell(m => m.PerJob(m.Usage!.Transactions), "0.00"),
            Cell(m => m.PerJob(m.Usage!.Statements), "0.00"),
            latencies.Count == 0 ? "" : Latency(latencies),
            latencies.Count == 0 ? "" : Median(latencies, l => l.Load).ToString("0.00", CultureInfo.InvariantCulture),
            notes + " |");
    }

    private static string Latency(List<Latencies> latencies) => string.Join(" / ",
        new Func<Latencies, double>[] { l => l.P50, l => l.P95, l => l.P99, l => l.Max }
            .Select(f => Median(latencies, f).ToString("0.0", CultureInfo.InvariantCulture)));

    private static string Ratio(double value, double reference) =>
        reference == 0 ? "—" : (value / reference).ToString("0.00", CultureInfo.InvariantCulture) + "×";

    private static double Median<T>(IReadOnlyList<T> items, Func<T, double> figure)
    {
        var sorted = items.Select(figure).Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
