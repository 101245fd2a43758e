namespace PluginHost.Bench.Table;

/// <summary>One group of rows of the table: a workload run by several systems, each run measured on its own database.</summary>
internal interface IScenario
{
    string Title { get; }

    /// <summary>The systems (rows), in the table's order.</summary>
    IReadOnlyList<string> Systems { get; }

    /// <summary>The system every figure is divided by (the bare-SQL ceiling), or null for none.</summary>
    string? Reference { get; }

    /// <summary>
    /// Whether every system first runs one round that is not counted (its code compiled by the JIT, its caches and
    /// pools filled), so that no system pays for warming up code another one shares (Npgsql) in its first round.
    /// </summary>
    bool WarmsUp => false;

    /// <summary>One round of <paramref name="system"/>; throws when the run did not complete (e.g. jobs not done in time).</summary>
    Task<Measurement> RunAsync(string system);
}

/// <summary>Row labels shared by the scenarios.</summary>
internal static class Systems
{
    public const string PluginHost = "PluginHost";
    public const string PluginHostBatched = "PluginHost, batch=10";
    public const string BareSql = "bare SQL";
    public const string BareSqlOne = "bare SQL, 1 per claim";
    public const string BareSqlTen = "bare SQL, 10 per claim";
    public const string Hangfire = "Hangfire.PostgreSql";
}
