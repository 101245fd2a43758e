using Microsoft.Extensions.Logging;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Reads one database's jobs by state and channel every <see cref="RefreshInterval"/> into <see cref="JobMetrics"/>,
/// off the scrape path: <c>/metrics</c> serves the last counts read (kept while the database cannot be read, with
/// the failure logged), and drops them once the database is no longer served.
/// </summary>
internal sealed class JobCountsRefresh(Database database, JobMetrics metrics, ILogger<JobCountsRefresh> logger) : SupervisedLoop(logger)
{
    /// <summary>How often the counts are read: a scrape sees counts at most this old.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    private const string JobsByStateAndChannel = """
        SELECT state, channel, count(*)
        FROM queue_job
        GROUP BY state, channel
        ORDER BY state, channel
        """;

    protected override string Name => "job counts for /metrics";

    protected override TimeSpan RunAgainAfter => RefreshInterval;

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var counts = new List<(string State, string Channel, long Count)>();
        await using (var command = database.CreateCommand(JobsByStateAndChannel))
        await using (var reader = await command.ExecuteReaderAsync(stoppingToken))
        {
            while (await reader.ReadAsync(stoppingToken))
            {
                counts.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
            }
        }

        metrics.SetCounts(database.Name, counts);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        metrics.ForgetCounts(database.Name);
    }
}
