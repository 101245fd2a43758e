using System.Globalization;

namespace PluginHost.Bench.Table;

/// <summary>The machine's 1-minute load average (<c>/proc/loadavg</c>), which the latency rows are measured under and printed with.</summary>
internal static class LoadAverage
{
    /// <summary>Below this the machine counts as quiet: issue 8's latency targets are measured under it.</summary>
    public const double Quiet = 1.0;

    /// <summary>The 1-minute load average now.</summary>
    public static double Current() =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>
    /// Waits, up to <paramref name="limit"/>, until the load average falls below <see cref="Quiet"/> (the scenarios
    /// before leave it at 2 to 4; it decays by a factor e a minute once idle); says on stderr when it did not.
    /// </summary>
    public static async Task WaitUntilQuietAsync(TimeSpan limit)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (Current() >= Quiet)
        {
            if (waited.Elapsed >= limit)
            {
                Console.Error.WriteLine($"// load average still {Current():0.00} after {limit.TotalSeconds:0} s: measuring anyway");
                return;
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }
}
