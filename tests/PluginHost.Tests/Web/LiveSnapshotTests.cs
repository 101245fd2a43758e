using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Web;

/// <summary>
/// The console's shared snapshot (issue 12, items 3 and 5): counts per channel and state, read from the database only
/// when asked and at most every few seconds, with a version that changes when the counts do and only then. The clock
/// is the test's, so no test waits for the refresh interval.
/// </summary>
public sealed class LiveSnapshotTests : JobTestBase
{
    private readonly ManualClock _clock = new();
    private QueueSnapshot _snapshot = null!;

    [SetUp]
    public void CreateSnapshot() =>
        _snapshot = new QueueSnapshot(Jobs.Host.Database, new NodeOptions(TimeSpan.FromSeconds(30)), _clock, NullLogger<QueueSnapshot>.Instance);

    [Test]
    public async Task Counts_each_channels_jobs_by_state_with_done_over_the_last_hour_only()
    {
        await InsertAsync("root", "pending", "pending", "enqueued", "started", "started", "failed", "done");
        await InsertAsync("root.sub", "pending", "failed", "failed", "done", "done", "cancelled", "wait_dependencies");
        await Jobs.Database.ScalarAsync<object>("""
            INSERT INTO queue_job (uuid, model_name, method_name, state, channel, date_created, date_done)
            VALUES ('old-done', 'test.queue.job', 'Noop', 'done', 'root', now() - interval '3 hours', now() - interval '2 hours')
            """);

        var snapshot = await _snapshot.CurrentAsync();

        Assert.That(snapshot.Channels, Is.EqualTo(new[]
        {
            new ChannelJobCounts("root", Pending: 2, Enqueued: 1, Started: 2, Failed: 1, DoneLastHour: 1),
            new ChannelJobCounts("root.sub", Pending: 1, Enqueued: 0, Started: 0, Failed: 2, DoneLastHour: 2),
        }));
        Assert.That(snapshot.Minutes, Has.Count.EqualTo(QueueSnapshotReader.Minutes));
        Assert.That((snapshot.Minutes.Sum(m => m.Done), snapshot.Minutes.Sum(m => m.Failed)), Is.EqualTo((3L, 3L)),
            "the jobs done and failed just now are in the series; the one done 2 hours ago is not");
    }

    [Test]
    public async Task Reads_the_database_only_when_asked_and_at_most_once_per_interval()
    {
        _clock.Advance(TimeSpan.FromMinutes(5));
        Assert.That(_snapshot.Reads, Is.Zero, "nobody asked: nothing read");

        var first = await _snapshot.CurrentAsync();
        _clock.Advance(QueueSnapshot.RefreshInterval / 2);
        var again = await _snapshot.CurrentAsync();

        Assert.That((_snapshot.Reads, again), Is.EqualTo((1L, first)), "asked again within the interval: the same snapshot, not read again");

        _clock.Advance(QueueSnapshot.RefreshInterval);
        var stale = await _snapshot.CurrentAsync();

        Assert.That(stale, Is.SameAs(first), "past the interval, the viewer gets the last snapshot at once");
        Assert.That(await Eventually.UntilAsync(() => Task.FromResult(_snapshot.Reads == 2), seconds: 10), Is.True, "and a read runs in the background");
    }

    [Test]
    public async Task The_version_changes_when_a_job_changes_state_and_not_otherwise()
    {
        await InsertAsync("root", "pending");
        var before = (await _snapshot.CurrentAsync()).Version;

        _clock.Advance(QueueSnapshot.ColdAfter);
        var unchanged = (await _snapshot.CurrentAsync()).Version;
        await Jobs.Database.ScalarAsync<object>("UPDATE queue_job SET state = 'failed' WHERE uuid = 'root-pending-0'");
        _clock.Advance(QueueSnapshot.ColdAfter);
        var changed = (await _snapshot.CurrentAsync()).Version;

        Assert.That(_snapshot.Reads, Is.EqualTo(3));
        Assert.That(unchanged, Is.EqualTo(before), "read again with nothing changed");
        Assert.That(changed, Is.Not.EqualTo(before), "read again after a job failed");
    }

    /// <summary>One job per state given, in <paramref name="channel"/>, finished (done, cancelled, failed) now; uuids <c>channel-state-i</c>.</summary>
    private async Task InsertAsync(string channel, params string[] states)
    {
        for (var i = 0; i < states.Length; i++)
        {
            await Jobs.Database.ScalarAsync<object>("""
                INSERT INTO queue_job (uuid, model_name, method_name, state, channel, date_started, date_done, date_cancelled, exec_time)
                VALUES ($1 || '-' || $2 || '-' || $3, 'test.queue.job', 'Noop', $2, $1,
                        CASE WHEN $2 IN ('started', 'failed') THEN now() - interval '1 second' END,
                        CASE WHEN $2 = 'done' THEN now() END,
                        CASE WHEN $2 = 'cancelled' THEN now() END,
                        CASE WHEN $2 = 'failed' THEN 0.5 END)
                """, channel, states[i], i);
        }
    }

    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks = TimeSpan.TicksPerDay;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan span) => Interlocked.Add(ref _ticks, span.Ticks);
    }
}
