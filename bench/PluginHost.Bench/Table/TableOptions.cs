using System.Globalization;

namespace PluginHost.Bench.Table;

/// <summary>
/// The sizes of one table run, from <c>scripts/bench [--jobs N] [--rounds R] [--smoke]</c>. <c>--smoke</c> shrinks
/// every size and runs one round: CI checks that every scenario runs, never how fast.
/// </summary>
internal sealed record TableOptions
{
    public const int DefaultJobs = 20_000;
    public const int DefaultRounds = 3;

    /// <summary>Jobs drained by the drain scenario.</summary>
    public int Jobs { get; init; } = DefaultJobs;

    /// <summary>Rounds, interleaved (round 1 of every system, then round 2 …); the median is reported.</summary>
    public int Rounds { get; init; } = DefaultRounds;

    public bool Smoke { get; init; }

    /// <summary>The scenarios to run (<c>--only drain,latency</c>), by the first word of their key; all when empty.</summary>
    public IReadOnlyList<string> Only { get; init; } = [];

    /// <summary>Systems left out (<c>--without hangfire,batch</c>): those whose name contains one of these words, ignoring case.</summary>
    public IReadOnlyList<string> Without { get; init; } = [];

    /// <summary>Whether <paramref name="system"/> is run (not left out by <see cref="Without"/>).</summary>
    public bool Runs(string system) => !Without.Any(word => system.Contains(word, StringComparison.OrdinalIgnoreCase));

    /// <summary>Jobs of the single-enqueue scenario, spread over <see cref="EnqueueClients"/> clients.</summary>
    public int EnqueueJobs { get; init; } = 4000;

    public int EnqueueClients { get; init; } = 8;

    /// <summary>Jobs per transaction of the bulk-enqueue scenario, and how many such transactions.</summary>
    public int BulkSize { get; init; } = 1000;

    public int BulkRepeats { get; init; } = 5;

    /// <summary>Jobs of the latency scenario, enqueued one at a time <see cref="LatencyGap"/> apart.</summary>
    public int LatencyJobs { get; init; } = 300;

    public TimeSpan LatencyGap { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Low-priority pending jobs already in the table in the backlog scenario, one row per size.</summary>
    public IReadOnlyList<int> Backlogs { get; init; } = [1_000, 1_000_000];

    /// <summary>High-priority jobs drained through the backlog.</summary>
    public int BacklogJobs { get; init; } = 3000;

    /// <summary>Jobs enqueued once the standby took over from a paused runner (faults scenario).</summary>
    public int PausedRunnerJobs { get; init; } = 20;

    /// <summary>Done jobs past their retention in the table when the host starts (faults scenario).</summary>
    public int ExpiredJobs { get; init; } = 1_000_000;

    /// <summary>Jobs enqueued one at a time <see cref="PurgeGap"/> apart while the start-up purge runs.</summary>
    public int PurgeJobs { get; init; } = 50;

    public TimeSpan PurgeGap { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long any measured part may take before its scenario is reported as failed.</summary>
    public TimeSpan Limit => TimeSpan.FromSeconds(Math.Max(120, Jobs / 20));

    public static TableOptions Parse(IReadOnlyList<string> args)
    {
        var options = new TableOptions();
        int? jobs = null, rounds = null;
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--smoke":
                    options = Smoked(options);
                    break;
                case "--jobs":
                    jobs = Positive(args, ++i, "--jobs");
                    break;
                case "--rounds":
                    rounds = Positive(args, ++i, "--rounds");
                    break;
                case "--only":
                    options = options with { Only = ++i < args.Count ? args[i].Split(',', StringSplitOptions.RemoveEmptyEntries) : [] };
                    break;
                case "--without":
                    options = options with { Without = ++i < args.Count ? args[i].Split(',', StringSplitOptions.RemoveEmptyEntries) : [] };
                    break;
                default:
                    throw new ArgumentException($"Unknown option '{args[i]}': expected --jobs N, --rounds R, --only SCENARIOS, --without SYSTEMS or --smoke.");
            }
        }

        return options with { Jobs = jobs ?? options.Jobs, Rounds = rounds ?? options.Rounds };
    }

    private static TableOptions Smoked(TableOptions options) => options with
    {
        Smoke = true, Jobs = 1000, Rounds = 1, EnqueueJobs = 400, BulkSize = 200, BulkRepeats = 2, LatencyJobs = 30,
        Backlogs = [1_000, 10_000], BacklogJobs = 300, ExpiredJobs = 20_000, PurgeJobs = 10,
    };

    private static int Positive(IReadOnlyList<string> args, int index, string name) =>
        index < args.Count && int.TryParse(args[index], NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new ArgumentException($"Option '{name}': expected a positive integer.");
}
