using Microsoft.Extensions.Logging;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The console's view of one database (<see cref="QueueSnapshotData"/>), shared by every viewer: read on demand, at
/// most every <see cref="RefreshInterval"/>, so nothing is read while nobody looks, and a hundred open tabs cost the
/// database what one does. A viewer gets the last snapshot at once while it is fresh, and also starts a refresh in the
/// background when it is older than <see cref="RefreshInterval"/>; it waits for a read only when the last one is
/// older than <see cref="ColdAfter"/> (nobody asked meanwhile) or there is none. One read at a time.
/// </summary>
internal sealed class QueueSnapshot(Database database, NodeOptions nodes, TimeProvider clock, ILogger<QueueSnapshot> logger)
{
    /// <summary>The shortest time between two reads.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(3);

    /// <summary>A snapshot older than this is not shown: the viewer waits for a fresh one.</summary>
    public static readonly TimeSpan ColdAfter = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private QueueSnapshotData? _current;
    private long _readAt;
    private Task<QueueSnapshotData>? _reading;
    private long _reads;

    /// <summary>How many times the database was read, for tests and diagnostics.</summary>
    public long Reads => Interlocked.Read(ref _reads);

    /// <summary>The snapshot to show now (see the class summary); a failed read is thrown only to a viewer that waits for it.</summary>
    public async Task<QueueSnapshotData> CurrentAsync()
    {
        QueueSnapshotData? current;
        TimeSpan age;
        lock (_gate)
        {
            (current, age) = (_current, clock.GetElapsedTime(_readAt));
        }

        if (current is null || age >= ColdAfter)
        {
            return await ReadOnceAsync();
        }

        if (age >= RefreshInterval)
        {
            // The failure is logged by the read; the viewers keep the last snapshot meanwhile.
            _ = ReadOnceAsync().ContinueWith(static read => read.Exception, TaskContinuationOptions.OnlyOnFaulted);
        }

        return current;
    }

    /// <summary>The read in progress, or a new one.</summary>
    private Task<QueueSnapshotData> ReadOnceAsync()
    {
        lock (_gate)
        {
            // Task.Run: the read must not complete inline, inside this lock, before it is stored as in progress.
            return _reading ??= Task.Run(ReadAsync);
        }
    }

    private async Task<QueueSnapshotData> ReadAsync()
    {
        try
        {
            Interlocked.Increment(ref _reads);
            var data = await QueueSnapshotReader.ReadAsync(database, nodes.DeadAfter, CancellationToken.None);
            lock (_gate)
            {
                (_current, _readAt) = (data, clock.GetTimestamp());
            }

            return data;
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "the Job Queue console could not read the state of db {Database}", database.Name);
            throw;
        }
        finally
        {
            lock (_gate)
            {
                _reading = null;
            }
        }
    }
}
