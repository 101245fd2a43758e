using Npgsql;

namespace PluginHost.Addons.QueueJob.Internal.Channels;

/// <summary>
/// Reads what the channel manager decides from, in three small queries: never the backlog, only a bounded number of
/// rows per channel, so the runner's memory does not grow with the number of pending jobs.
/// </summary>
internal static class ChannelSnapshotReader
{
    /// <summary>Reads running jobs per channel, the first <paramref name="perChannel"/> due jobs of each channel and its next waiting job, and failed sequential channels.</summary>
    public static async Task<ChannelSnapshot> ReadAsync(NpgsqlConnection connection, ChannelManager channels, int perChannel, DateTime now, CancellationToken cancellationToken)
    {
        var running = new Dictionary<string, int>(StringComparer.Ordinal);
        await using (var command = new NpgsqlCommand(JobStatements.RunningByChannel, connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                running[reader.GetString(0)] = reader.GetInt32(1);
            }
        }

        var pending = new Dictionary<long, ChannelJob>();
        await using (var command = new NpgsqlCommand(JobStatements.PendingCandidates, connection)
        {
            Parameters = { new() { Value = perChannel }, new() { Value = now } },
        })
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var job = new ChannelJob(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.GetDateTime(3), reader.IsDBNull(4) ? null : reader.GetDateTime(4));
                pending[job.Id] = job;
            }
        }

        var sequential = channels.Channels.Where(c => c.Sequential).Select(c => c.Name).ToArray();
        var failed = new HashSet<string>(StringComparer.Ordinal);
        if (sequential.Length > 0)
        {
            await using var command = new NpgsqlCommand(JobStatements.FailedChannels, connection) { Parameters = { new() { Value = sequential } } };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                failed.Add(reader.GetString(0));
            }
        }

        return new ChannelSnapshot(running, failed, pending.Values.ToList());
    }

}
