using System.Data;
using Npgsql;

namespace PluginHost.Addons.QueueJob.Internal.Channels;

/// <summary>
/// Reads what the channel manager decides from in one round trip (a batch, one implicit transaction, so one
/// <c>now()</c> for all of it): never the backlog, only a bounded number of rows per channel, so the runner's memory
/// does not grow with the number of pending jobs.
/// </summary>
internal static class ChannelSnapshotReader
{
    /// <summary>
    /// Reads the database's time, running jobs per channel, the first <paramref name="perChannel"/> due jobs of each
    /// channel and its next waiting job, failed sequential channels, and how many jobs wait for an executor.
    /// <paramref name="prelude"/>, when given, runs first in the same round trip; its result is skipped.
    /// </summary>
    public static async Task<(DateTime Now, ChannelSnapshot Snapshot, int Enqueued)> ReadAsync(NpgsqlConnection connection, ChannelManager channels,
        int perChannel, CancellationToken cancellationToken, string? prelude = null)
    {
        var sequential = channels.Channels.Where(c => c.Sequential).Select(c => c.Name).ToArray();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand("SELECT now() AS now"),
                new NpgsqlBatchCommand(RunnerStatements.CountEnqueued),
                new NpgsqlBatchCommand(RunnerStatements.RunningByChannel),
                new NpgsqlBatchCommand(RunnerStatements.PendingCandidates) { Parameters = { new() { Value = perChannel } } },
                new NpgsqlBatchCommand(RunnerStatements.FailedChannels) { Parameters = { new() { Value = sequential } } },
            },
        };
        if (prelude is not null)
        {
            batch.BatchCommands.Insert(0, new NpgsqlBatchCommand(prelude));
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (prelude is not null)
        {
            await reader.NextResultAsync(cancellationToken);
        }

        await reader.ReadAsync(cancellationToken);
        var now = reader.GetDateTime("now");

        await reader.NextResultAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var enqueued = (int)reader.GetInt64("enqueued");

        await reader.NextResultAsync(cancellationToken);
        var running = new Dictionary<string, int>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            running[reader.GetString("channel")] = reader.GetInt32("running");
        }

        await reader.NextResultAsync(cancellationToken);
        var pending = new Dictionary<long, ChannelJob>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var job = new ChannelJob(reader.GetInt64("id"), reader.GetString("channel"), reader.GetInt32("priority"), reader.GetDateTime("date_created"),
                reader.IsDBNull("eta") ? null : reader.GetDateTime("eta"));
            pending[job.Id] = job;
        }

        await reader.NextResultAsync(cancellationToken);
        var failed = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            failed.Add(reader.GetString("channel"));
        }

        return (now, new ChannelSnapshot(running, failed, pending.Values.ToList()), enqueued);
    }
}
