using System.Data;
using Microsoft.Extensions.Logging;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Reads one database's jobs by state and channel every <see cref="RefreshInterval"/> into <see cref="JobMetrics"/>,
/// off the scrape path: <c>/metrics</c> serves the last counts read (kept while the database cannot be read, with
/// the failure logged), and drops them once the database is no longer served. The count scans the table, so it is
/// read again only while <c>/metrics</c> is scraped (<see cref="JobMetrics.ScrapedWithin"/>).
/// </summary>
internal sealed class JobCountsRefresh(Database database, JobMetrics metrics, ILogger<JobCountsRefresh> logger) : SupervisedLoop(logger)
{
    /// <summary>How often the counts are read: a scrape sees counts at most this old.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(5);

    /// <summary>The counts are read while the last scrape is at most this old (and once at start).</summary>
    public static readonly TimeSpan ScrapedRecently = TimeSpan.FromMinutes(2);

    private const string JobsByStateAndChannel = """
        SELECT state, channel, count(*) AS jobs
        FROM queue_job
        GROUP BY state, channel
        ORDER BY state, channel
        """;

    protected override string Name => "job counts for /metrics";

    protected override TimeSpan RunAgainAfter => RefreshInterval;

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        if (metrics.HasCounts(database.Name) && !metrics.ScrapedWithin(ScrapedRecently))
        {
            return;
        }

        var counts = new List<(string State, string Channel, long Count)>();
        await using (var command = database.CreateCommand(JobsByStateAndChannel))
        await using (var reader = await command.ExecuteReaderAsync(stoppingToken))
        {
            while (await reader.ReadAsync(stoppingToken))
            {
                counts.Add((reader.GetString("state"), reader.GetString("channel"), reader.GetInt64("jobs")));
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
