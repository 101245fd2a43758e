using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace PluginHost.Bench.Table;

/// <summary>
/// Measures one run: CPU of the client or host process, CPU of every process of the PostgreSQL cluster (from
/// /proc), transactions of the bench database (pg_stat_database) and its statements (pg_stat_statements, reset at
/// the start). Reads through the <c>postgres</c> database, so its own statements are not counted.
/// </summary>
internal sealed class ResourceMeter : IAsyncDisposable
{
    /// <summary>Clock ticks per second of /proc/&lt;pid&gt;/stat (<c>getconf CLK_TCK</c>; 100 on Linux x86-64).</summary>
    private const double ClockTicks = 100;

    /// <summary>PostgreSQL 15 flushes a backend's statistics about once a second: wait longer before reading them.</summary>
    private static readonly TimeSpan StatsFlush = TimeSpan.FromMilliseconds(1200);

    /// <summary>
    /// An idle backend that flushed less than a second ago defers its counts by 10 s (PGSTAT_IDLE_INTERVAL): wait
    /// this long before measuring a system whose set-up connections stay open (a started host, a Hangfire server).
    /// </summary>
    public static readonly TimeSpan IdleFlush = TimeSpan.FromSeconds(11);

    private readonly NpgsqlConnection _admin;
    private readonly string _database;
    private readonly Func<TimeSpan> _hostCpu;
    private readonly int? _postmaster;
    private TimeSpan _hostStart;
    private long _postgresStart;
    private long _transactionsStart;

    private ResourceMeter(NpgsqlConnection admin, string database, Func<TimeSpan> hostCpu, int? postmaster)
    {
        (_admin, _database, _hostCpu, _postmaster) = (admin, database, hostCpu, postmaster);
    }

    /// <summary>The CPU time of this process: the client, or the host when it runs in process.</summary>
    public static TimeSpan OwnCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>
    /// Waits for the statistics of closed connections, then reads the starting figures and resets the statement
    /// counts. A backend that stays open flushes its transaction counts only when idle and at most once a second,
    /// else ten seconds later: callers close their set-up connections before (<see cref="Release"/>).
    /// </summary>
    public static async Task<ResourceMeter> StartAsync(string database, Func<TimeSpan>? hostCpu = null)
    {
        var admin = await BenchCluster.OpenAsync("postgres");
        var dataDirectory = await BenchCluster.ScalarAsync<string>(admin, "SHOW data_directory");
        var meter = new ResourceMeter(admin, database, hostCpu ?? OwnCpu, Postmaster(dataDirectory));
        await Release();
        await Task.Delay(StatsFlush);
        meter._transactionsStart = await meter.TransactionsAsync();
        await meter.RestartAsync();
        return meter;
    }

    /// <summary>Starts CPU and statements again (not transactions), e.g. after an untimed insert.</summary>
    public async Task RestartAsync()
    {
        await BenchCluster.ExecuteAsync(_admin, "SELECT pg_stat_statements_reset()");
        _hostStart = _hostCpu();
        _postgresStart = PostgresTicks();
    }

    /// <summary>
    /// Reads CPU and statements at once; then <paramref name="release"/> closes the measured system's connections,
    /// whose backends flush their transaction counts as they exit, and the transactions are read.
    /// </summary>
    public async Task<Usage> StopAsync(Func<ValueTask>? release = null)
    {
        var host = _hostCpu() - _hostStart;
        var postgres = TimeSpan.FromSeconds((PostgresTicks() - _postgresStart) / ClockTicks);
        var statements = await BenchCluster.ScalarAsync<decimal>(_admin,
            "SELECT coalesce(sum(calls), 0)::numeric FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = $1)", _database);
        if (release is not null)
        {
            await release();
        }

        await Release();
        await Task.Delay(StatsFlush);
        var transactions = await TransactionsAsync() - _transactionsStart;
        return new Usage(host, postgres, transactions, (long)statements);
    }

    /// <summary>Closes this process's idle pooled connections (not data sources'), so that their backends exit.</summary>
    public static ValueTask Release()
    {
        NpgsqlConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => _admin.DisposeAsync();

    private Task<long> TransactionsAsync() =>
        BenchCluster.ScalarAsync<long>(_admin, "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = $1", _database);

    private static int? Postmaster(string dataDirectory)
    {
        var pidFile = Path.Combine(dataDirectory, "postmaster.pid");
        return File.Exists(pidFile) ? int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture) : null;
    }

    /// <summary>
    /// utime+stime of the postmaster and of its live children, plus the postmaster's cutime+cstime, where the CPU of
    /// exited backends accumulates; 0 when the cluster is not on this machine.
    /// </summary>
    private long PostgresTicks()
    {
        if (_postmaster is not { } postmaster)
        {
            return 0;
        }

        long ticks = 0;
        foreach (var folder in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(folder), out var pid) || ReadStat(pid) is not { } stat)
            {
                continue;
            }

            if (pid == postmaster)
            {
                ticks += stat.UserTime + stat.SystemTime + stat.ChildrenUserTime + stat.ChildrenSystemTime;
            }
            else if (stat.Parent == postmaster)
            {
                ticks += stat.UserTime + stat.SystemTime;
            }
        }

        return ticks;
    }

    private sealed record ProcessStat(int Parent, long UserTime, long SystemTime, long ChildrenUserTime, long ChildrenSystemTime);

    /// <summary>Fields 4 and 14–17 of /proc/&lt;pid&gt;/stat, counted after the command name, which may hold spaces.</summary>
    private static ProcessStat? ReadStat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }

        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        long Field(int number) => long.Parse(fields[number - 3], CultureInfo.InvariantCulture);
        return new ProcessStat((int)Field(4), Field(14), Field(15), Field(16), Field(17));
    }
}
