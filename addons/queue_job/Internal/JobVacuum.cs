using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Removes done and cancelled jobs once their channel's retention has passed, in batches of <see cref="BatchSize"/>,
/// each batch its own transaction so a large purge never holds locks for long. Failed jobs stay until someone acts.
/// </summary>
internal static class JobVacuum
{
    public const int BatchSize = 1000;

    /// <summary>Deletes every expired job and returns how many.</summary>
    public static async Task<long> RunAsync(Database database, CancellationToken cancellationToken)
    {
        long total = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            await using var env = await database.BeginAsync(cancellationToken: cancellationToken);
            var deleted = await env.ExecuteAsync(JobStatements.VacuumBatch, BatchSize);
            await env.CommitAsync();
            total += deleted;
            if (deleted < BatchSize)
            {
                break;
            }
        }

        return total;
    }
}
