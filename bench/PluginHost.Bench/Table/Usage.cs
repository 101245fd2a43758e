namespace PluginHost.Bench.Table;

/// <summary>What one measured run cost: CPU of the client or host process and of PostgreSQL, transactions, statements.</summary>
internal sealed record Usage(TimeSpan HostCpu, TimeSpan PostgresCpu, long Transactions, long Statements);

/// <summary>Commit-to-start latencies of one run, in milliseconds, and the 1-minute load average beside them.</summary>
internal sealed record Latencies(double P50, double P95, double P99, double Max, double Load)
{
    public static Latencies Of(IReadOnlyList<double> milliseconds, double load)
    {
        var sorted = milliseconds.Order().ToArray();
        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return new Latencies(At(0.50), At(0.95), At(0.99), sorted[^1], load);
    }
}

/// <summary>One run of one system in one scenario; <see cref="Usage"/> is null where the meter does not apply.</summary>
internal sealed record Measurement(int Jobs, TimeSpan Elapsed, Usage? Usage)
{
    public Latencies? Latencies { get; init; }

    /// <summary>Free text shown in the table's notes column (e.g. the host's memory).</summary>
    public string? Note { get; init; }

    public double JobsPerSecond => Jobs / Elapsed.TotalSeconds;

    public double PerJob(double total) => total / Jobs;
}
