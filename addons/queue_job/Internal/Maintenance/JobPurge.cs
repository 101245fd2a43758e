using Microsoft.Extensions.Logging;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Removes done and cancelled jobs once their channel's retention has passed, every <see cref="Interval"/> (as
/// upstream's daily cron, but finer), outside the runner's loop so dispatch never waits for it. It works oldest first
/// through an index, in autocommitted batches of <see cref="BatchSize"/> that skip locked rows, so a large purge
/// never holds locks for long. Failed jobs stay until someone acts.
/// </summary>
internal sealed class JobPurge(Database database, ILogger<JobPurge> logger) : SupervisedLoop(logger)
{
    public const int BatchSize = 1000;

    /// <summary>How often expired jobs are purged.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    protected override string Name => "job purge";

    protected override TimeSpan RunAgainAfter => Interval;

    protected override async Task RunAsync(CancellationToken stoppingToken)
    {
        var removed = await PurgeAsync(database, stoppingToken);
        logger.LogInformation("purge removed {Count} done or cancelled jobs past their channel's retention", removed);
    }

    /// <summary>Deletes every expired job and returns how many.</summary>
    public static async Task<long> PurgeAsync(Database database, CancellationToken cancellationToken)
    {
        long total = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            await using var purge = database.CreateCommand(PurgeStatements.PurgeBatch, BatchSize);
            var deleted = await purge.ExecuteNonQueryAsync(cancellationToken);
            total += deleted;
            if (deleted < BatchSize)
            {
                break;
            }
        }

        return total;
    }
}
