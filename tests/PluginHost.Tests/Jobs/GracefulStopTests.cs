using Microsoft.Extensions.Hosting;
using PluginHost.Addons.QueueJob;
using PluginHost.Host.Hosting;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// A clean stop (what SIGTERM and Ctrl-C do): executors claim nothing more, a running job may finish within
/// <c>--shutdown-timeout</c>, and a stop does not wait past it: a job still running then is given back at once.
/// </summary>
public sealed class GracefulStopTests
{
    private TestDatabase _database = null!;
    private BootedHost _host = null!;

    [SetUp]
    public void Create() => _database = new TestDatabase();

    [TearDown]
    public async Task DropAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task A_running_job_finishes_and_no_other_job_starts()
    {
        await StartAsync(shutdownTimeoutSeconds: 30);
        var (running, waiting) = await EnqueueTwoAsync(milliseconds: 1500);
        await UntilStartedAsync(running);
        Assert.That(await Eventually.UntilAsync(async () => await StateAsync(waiting) == "enqueued", 30), Is.True, "the second job is enqueued");

        await _host.Host.StopAsync();

        Assert.That(await StateAsync(running), Is.EqualTo("done"), "the running job was let finish");
        Assert.That(await StateAsync(waiting), Is.EqualTo("enqueued"), "the other job, enqueued for the busy executor, was not claimed");
    }

    [Test]
    public async Task A_job_still_running_at_the_shutdown_timeout_is_back_to_pending_at_once_with_its_try_given_back()
    {
        await StartAsync(shutdownTimeoutSeconds: 1);
        var (running, _) = await EnqueueTwoAsync(milliseconds: 20_000);
        await UntilStartedAsync(running);
        var session = await _database.ScalarAsync<int>(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'");

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await _host.Host.StopAsync();

        // Had the stop waited for the job (20 s), it would be done.
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(15)));
        Assert.That(await _database.ScalarAsync<string>("SELECT state || ' ' || retry FROM queue_job WHERE uuid = $1", running), Is.EqualTo("pending 0"));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", session), Is.Zero, "the job's session was terminated");
    }

    private async Task StartAsync(int shutdownTimeoutSeconds)
    {
        var options = _database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with
        {
            ServerWideModules = ["web", "queue_job"], Init = ["test_queue_job"], Workers = 1, ShutdownTimeoutSeconds = shutdownTimeoutSeconds,
        };
        // root:2 with one worker: the second job is enqueued and waits for the executor.
        _host = await TestHost.BootAsync(options, new Dictionary<string, string?> { ["queue_job:channels"] = "root:2" });
        await _host.Host.StartAsync();
    }

    private async Task<(string Running, string Waiting)> EnqueueTwoAsync(int milliseconds)
    {
        await using var env = await _host.Database.BeginAsync();
        var records = env.Model<TestQueueJobModel>();
        var record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = "stop" }));
        var first = await record.WithDelay(priority: 1).EnqueueAsync(x => x.MarkThenWaitAsync(milliseconds));
        var second = await record.WithDelay(priority: 2).EnqueueAsync(x => x.MarkThenWaitAsync(milliseconds));
        await env.CommitAsync();
        return (first.Uuid, second.Uuid);
    }

    private async Task UntilStartedAsync(string uuid) =>
        Assert.That(await Eventually.UntilAsync(async () => await StateAsync(uuid) == "started", 30, 20), Is.True, "the first job started");

    private Task<string?> StateAsync(string uuid) => _database.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", uuid);
}
