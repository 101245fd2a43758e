using System.Diagnostics;
using System.Globalization;

namespace PluginHost.Bench.Table;

/// <summary>
/// <c>scripts/bench</c> (the default of the bench program): runs every scenario's rounds interleaved (round 1 of
/// every system, then round 2 …) on the durable cluster and prints the machine and the table on stdout; progress
/// goes to stderr. Exits 1 when any run failed.
/// </summary>
internal static class TableRunner
{
    /// <summary>How long a run waits at most for the machine to be idle (<see cref="IdleMachine"/>).</summary>
    private static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var options = TableOptions.Parse(args);
        await PrepareClusterAsync();
        await using var hangfire = new HangfireChildProcess();
        var all = new Dictionary<string, IScenario>
        {
            ["drain"] = new DrainScenario(options, hangfire), ["enqueue"] = new EnqueueSingleScenario(options, hangfire), ["bulk"] = new EnqueueBulkScenario(options),
            ["latency"] = new LatencyScenario(options, hangfire), ["backlog"] = new BacklogScenario(options),
            ["faults"] = new FaultScenario(options),
        };
        var unknown = options.Only.Where(name => !all.ContainsKey(name)).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"--only: unknown scenario '{unknown[0]}'; expected some of {string.Join(", ", all.Keys)}.");
        }

        var scenarios = all.Where(s => options.Only.Count == 0 || options.Only.Contains(s.Key)).Select(s => s.Value).ToArray();
        var table = new BenchTable(scenarios);
        var total = Stopwatch.StartNew();
        foreach (var scenario in scenarios)
        {
            if (scenario.WarmsUp && !options.Smoke)
            {
                foreach (var system in scenario.Systems.Where(options.Runs))
                {
                    await IdleMachine.WaitAsync(IdleLimit);
                    await WarmUpAsync(scenario, system);
                }
            }

            for (var round = 1; round <= options.Rounds; round++)
            {
                foreach (var system in scenario.Systems.Where(options.Runs))
                {
                    if (!options.Smoke)
                    {
                        await IdleMachine.WaitAsync(IdleLimit);
                    }

                    await RunOneAsync(table, scenario, system, round);
                }
            }
        }

        Console.Error.WriteLine($"// table done in {total.Elapsed.TotalMinutes:0.0} min");
        Console.WriteLine(await MachineAsync(options));
        Console.WriteLine(table.Render());
        return table.HasFailures ? 1 : 0;
    }

    private static async Task RunOneAsync(BenchTable table, IScenario scenario, string system, int round)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var measurement = await scenario.RunAsync(system);
            table.Add(scenario, system, measurement);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"// {scenario.Title} | {system} | round {round}: {measurement.JobsPerSecond:N0} jobs/s ({clock.Elapsed.TotalSeconds:0.0} s with set-up)"));
        }
        catch (Exception e) // The boundary of one run: reported in the table and the exit code, and the next run goes on.
        {
            table.Fail(scenario, system, $"round {round}: {e.GetType().Name}: {e.Message}");
            Console.Error.WriteLine($"// {scenario.Title} | {system} | round {round}: FAILED {e}");
        }
    }

    /// <summary>A round that is not counted; a failure shows in the counted rounds.</summary>
    private static async Task WarmUpAsync(IScenario scenario, string system)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var measurement = await scenario.RunAsync(system);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"// {scenario.Title} | {system} | warm-up, not counted: {measurement.JobsPerSecond:N0} jobs/s ({clock.Elapsed.TotalSeconds:0.0} s with set-up)"));
        }
        catch (Exception e) // The counted rounds report what fails.
        {
            Console.Error.WriteLine($"// {scenario.Title} | {system} | warm-up failed: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>pg_stat_statements must be loaded (shared_preload_libraries) and created in some database to be read.</summary>
    private static async Task PrepareClusterAsync()
    {
        await using var connection = await BenchCluster.OpenAsync("postgres");
        await BenchCluster.ExecuteAsync(connection, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    }

    private static async Task<string> MachineAsync(TableOptions options)
    {
        await using var connection = await BenchCluster.OpenAsync("postgres");
        async Task<string> Show(string setting) => await BenchCluster.ScalarAsync<string>(connection, "SHOW " + setting);
        var model = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim();
        return $"""
            Machine: {Environment.ProcessorCount} CPUs (nproc), {model}; PostgreSQL {await Show("server_version")} with fsync={await Show("fsync")}, synchronous_commit={await Show("synchronous_commit")}, full_page_writes={await Show("full_page_writes")}, max_connections={await Show("max_connections")}; .NET {Environment.Version}.
            Sizes: drain {options.Jobs:N0} jobs, enqueue {options.EnqueueJobs:N0} single / {options.BulkRepeats} × {options.BulkSize:N0} bulk, latency {options.LatencyJobs} jobs, backlogs {string.Join(" and ", options.Backlogs.Select(b => b.ToString("N0", CultureInfo.InvariantCulture)))} with {options.BacklogJobs:N0} priority-1 jobs, faults {options.PausedRunnerJobs} jobs after a paused runner and {options.PurgeJobs} during the purge of {options.ExpiredJobs:N0}; {options.Rounds} round(s), medians; × ref: ratio to the bare-SQL row of the scenario (backlog rows: to the smallest backlog).

            """;
    }
}
