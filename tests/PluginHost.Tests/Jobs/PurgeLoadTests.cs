using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PluginHost.Addons.QueueJob;
using PluginHost.Host.Hosting;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// 200,000 done jobs past their retention when the host starts: the start-up purge removes them all in batches, outside
/// the runner's loop, and a job enqueued meanwhile is dispatched and done without waiting for it.
/// </summary>
public sealed class PurgeLoadTests
{
    private const int ExpiredJobs = 200_000;

    /// <summary>Copies job $1's row $2 times under new uuids: as many jobs as real ones, without running them.</summary>
    private const string CopyJob = """
        INSERT INTO queue_job (uuid, user_id, name, model_name, method_name, record_ids, records, args, kwargs, func_string,
                               state, priority, result, date_created, date_started, date_enqueued, date_done, exec_time,
                               retry, max_retries, channel, channel_method_name, job_function_id, identity_key)
        SELECT gen_random_uuid()::text, t.user_id, t.name, t.model_name, t.method_name, t.record_ids, t.records, t.args, t.kwargs, t.func_string,
               t.state, t.priority, t.result, t.date_created, t.date_started, t.date_enqueued, t.date_done, t.exec_time,
               t.retry, t.max_retries, t.channel, t.channel_method_name, t.job_function_id, t.identity_key
        FROM queue_job t
        CROSS JOIN generate_series(1, $2) copy
        WHERE t.uuid = $1
        """;

    private const string CountExpired = "SELECT count(*) FROM queue_job WHERE date_done < now() - interval '59 days'";

    private readonly ListLoggerProvider _log = new();
    private TestDatabase _database = null!;
    private ILoggerFactory _logging = null!;
    private BootedHost _host = null!;

    [SetUp]
    public async Task BootAsync()
    {
        _database = new TestDatabase();
        _logging = LoggerFactory.Create(b => b.AddProvider(_log));
        var options = _database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with { ServerWideModules = ["web", "queue_job"], Init = ["test_queue_job"] };
        _host = await TestHost.BootAsync(options, new Dictionary<string, string?> { ["queue_job:channels"] = "root:2" }, _logging);
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        _logging.Dispose();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task A_job_enqueued_during_the_start_up_purge_of_two_hundred_thousand_jobs_is_done_and_the_purge_removes_them_all()
    {
        var template = await EnqueueAsync("expired");
        await _database.ScalarAsync<object>("""
            UPDATE queue_job SET state = 'done', retry = 1, date_enqueued = now() - interval '60 days', date_started = now() - interval '60 days',
                                 date_done = now() - interval '60 days', exec_time = 0.01, result = 'long ago'
            WHERE uuid = $1
            """, template);
        await _database.ScalarAsync<object>(CopyJob, template, ExpiredJobs - 1);
        Assert.That(await _database.ScalarAsync<long>(CountExpired), Is.EqualTo(ExpiredJobs));
        await using var listener = await _database.ListenAsync();

        var clock = Stopwatch.StartNew();
        await _host.Host.StartAsync();
        var fresh = await EnqueueAsync("fresh");
        await listener.UntilAsync(async () => await StateAsync(fresh) == "done", 10);
        var (doneInTime, freshDone, leftThen) = (await StateAsync(fresh) == "done", clock.Elapsed, await _database.ScalarAsync<long>(CountExpired));
        var purged = await Eventually.UntilAsync(() => Task.FromResult(_log.Lines.Any(l => l.Message.StartsWith("purge removed", StringComparison.Ordinal))), 120, 200);
        TestContext.Out.WriteLine($"fresh job done {freshDone.TotalSeconds:0.00} s after the start, {leftThen} expired jobs left then; purge over {clock.Elapsed.TotalSeconds:0.0} s after the start");

        Assert.That(doneInTime, Is.True, "the fresh job done within 10 s of the start");
        Assert.That(purged, Is.True, "the start-up purge ended within 120 s");
        Assert.That(_log.Lines.Select(l => l.Message), Has.One.EqualTo($"purge removed {ExpiredJobs} done or cancelled jobs past their channel's retention"));
        Assert.That(await _database.ScalarAsync<long>(CountExpired), Is.Zero, "every expired job removed");
        Assert.That(await _database.ScalarAsync<string>("SELECT note FROM test_queue_job WHERE name = 'fresh'"), Is.EqualTo("fresh"), "the fresh job ran once and stays");
    }

    private async Task<string> EnqueueAsync(string name)
    {
        await using var env = await _host.Database.BeginAsync();
        var records = env.Model<TestQueueJobModel>();
        var record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = name }));
        var job = await record.WithDelay().EnqueueAsync(x => x.AppendNoteAsync(name));
        await env.CommitAsync();
        return job.Uuid;
    }

    private Task<string?> StateAsync(string uuid) => _database.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", uuid);
}
