using System.Data;
using System.Data.Common;
using Npgsql;
using PluginHost.Sdk;
using PluginHost.Sdk.Advanced;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>Reads a <see cref="QueueSnapshotData"/> in one round trip (<see cref="QueueSnapshotStatements"/>, as one batch).</summary>
internal static class QueueSnapshotReader
{
    /// <summary>How many minutes the chart shows, the current one included.</summary>
    public const int Minutes = 60;

    /// <summary>The columns of a channel's counts: pending, enqueued, started, failed, then done in the last hour.</summary>
    private const int DoneColumn = 4;

    /// <summary>Reads the snapshot; nodes silent for <paramref name="deadAfter"/> are left out, and a lease not renewed within it is stale.</summary>
    public static async Task<QueueSnapshotData> ReadAsync(Database database, TimeSpan deadAfter, CancellationToken cancellationToken)
    {
        await using var batch = database.NpgsqlDataSource().CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(QueueSnapshotStatements.Now));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(QueueSnapshotStatements.JobsByChannel));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(QueueSnapshotStatements.FinishedByMinute));
        batch.BatchCommands.Add(new NpgsqlBatchCommand(QueueSnapshotStatements.LiveNodes) { Parameters = { new() { Value = deadAfter.TotalSeconds } } });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(QueueSnapshotStatements.ActiveRunner) { Parameters = { new() { Value = deadAfter.TotalSeconds } } });
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);

        await reader.ReadAsync(cancellationToken);
        var now = reader.GetFieldValue<DateTime>("now");
        var first = FirstMinute(now);
        var counts = new Dictionary<string, long[]>(StringComparer.Ordinal);
        await reader.NextResultAsync(cancellationToken);
        await ReadJobsByChannelAsync(reader, counts, cancellationToken);
        var minutes = new long[Minutes, 2];
        await reader.NextResultAsync(cancellationToken);
        await ReadFinishedAsync(reader, counts, first, minutes, cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var nodes = await ReadNodesAsync(reader, cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var runner = await reader.ReadAsync(cancellationToken) ? Runner(reader) : null;

        return new QueueSnapshotData(now, Channels(counts), Series(first, minutes), nodes, runner);
    }

    private static DateTime FirstMinute(DateTime now) =>
        new DateTime(now.Ticks - now.Ticks % TimeSpan.TicksPerMinute, DateTimeKind.Utc).AddMinutes(1 - Minutes);

    /// <summary>Adds the rows (channel, state, jobs) to the counts by channel.</summary>
    private static async Task ReadJobsByChannelAsync(DbDataReader reader, Dictionary<string, long[]> counts, CancellationToken cancellationToken)
    {
        while (await reader.ReadAsync(cancellationToken))
        {
            var column = reader.GetFieldValue<string>("state") switch { "pending" => 0, "enqueued" => 1, "started" => 2, _ => 3 };
            ChannelRow(counts, reader.GetFieldValue<string>("channel"))[column] += reader.GetFieldValue<long>("jobs");
        }
    }

    /// <summary>Adds the rows (channel, state, minute, jobs) to the series, and the done ones to the counts by channel.</summary>
    private static async Task ReadFinishedAsync(DbDataReader reader, Dictionary<string, long[]> counts, DateTime first, long[,] minutes,
        CancellationToken cancellationToken)
    {
        while (await reader.ReadAsync(cancellationToken))
        {
            var done = reader.GetFieldValue<string>("state") == "done";
            var jobs = reader.GetFieldValue<long>("jobs");
            if (done)
            {
                ChannelRow(counts, reader.GetFieldValue<string>("channel"))[DoneColumn] += jobs;
            }

            var index = (reader.GetFieldValue<DateTime>("minute") - first).Ticks / TimeSpan.TicksPerMinute;
            if (index is >= 0 and < Minutes)
            {
                minutes[index, done ? 0 : 1] += jobs;
            }
        }
    }

    private static long[] ChannelRow(Dictionary<string, long[]> counts, string channel)
    {
        if (!counts.TryGetValue(channel, out var row))
        {
            row = new long[5];
            counts.Add(channel, row);
        }

        return row;
    }

    private static List<ChannelJobCounts> Channels(Dictionary<string, long[]> counts) =>
        counts.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => new ChannelJobCounts(c.Key, c.Value[0], c.Value[1], c.Value[2], c.Value[3], c.Value[4])).ToList();

    private static List<QueueSnapshotMinute> Series(DateTime first, long[,] minutes) =>
        Enumerable.Range(0, Minutes).Select(i => new QueueSnapshotMinute(first.AddMinutes(i), minutes[i, 0], minutes[i, 1])).ToList();

    private static async Task<List<LiveNode>> ReadNodesAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var nodes = new List<LiveNode>();
        while (await reader.ReadAsync(cancellationToken))
        {
            nodes.Add(new LiveNode(reader.GetFieldValue<string>("id"), reader.GetFieldValue<string>("host"), reader.GetFieldValue<int>("pid"),
                reader.GetFieldValue<DateTime>("date_started"), reader.GetFieldValue<double>("heartbeat_age"), NullableText(reader, "channels")));
        }

        return nodes;
    }

    private static LiveRunner Runner(DbDataReader reader) =>
        new(reader.GetFieldValue<string>("node"), reader.GetFieldValue<DateTime>("taken"), reader.GetFieldValue<double>("lease_age"),
            reader.GetFieldValue<bool>("stale"), NullableText(reader, "channels"));

    private static string? NullableText(DbDataReader reader, string column) => reader.IsDBNull(column) ? null : reader.GetFieldValue<string>(column);
}
