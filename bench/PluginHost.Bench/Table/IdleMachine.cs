using System.Globalization;

namespace PluginHost.Bench.Table;

/// <summary>
/// Waits before a run until the machine is idle: what the run before left behind (a server's threads winding down,
/// garbage of this process, PostgreSQL's autovacuum of a database just used) is not charged to the next system.
/// </summary>
internal static class IdleMachine
{
    /// <summary>Idle: at least this share of the CPUs' time idle over one second.</summary>
    private const double IdleShare = 0.9;

    /// <summary>Collects this process's garbage, then waits, up to <paramref name="limit"/>, for a second at <see cref="IdleShare"/> idle.</summary>
    public static async Task WaitAsync(TimeSpan limit)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var deadline = DateTime.UtcNow + limit;
        while (DateTime.UtcNow < deadline)
        {
            var before = CpuTimes();
            await Task.Delay(TimeSpan.FromSeconds(1));
            var after = CpuTimes();
            var total = after.Total - before.Total;
            if (total > 0 && (double)(after.Idle - before.Idle) / total >= IdleShare)
            {
                return;
            }
        }

        Console.Error.WriteLine($"// the machine was not idle after {limit.TotalSeconds:0} s: running anyway");
    }

    /// <summary>The idle (idle + iowait) and total jiffies of the <c>cpu</c> line of /proc/stat.</summary>
    private static (long Idle, long Total) CpuTimes()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        return (fields[3] + fields[4], fields.Sum());
    }
}
