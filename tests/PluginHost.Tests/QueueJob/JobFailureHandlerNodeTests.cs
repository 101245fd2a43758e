using PluginHost.Addons.QueueJob;
using PluginHost.Host.Hosting;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// The failure hook on a running node (issue 13, item 6): a failure in a batched channel reaches the handlers once its
/// batch commits, and a job failed by the rescue of a dead node on its last try reaches them too.
/// </summary>
public sealed class JobFailureHandlerNodeTests
{
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    private TestDatabase _database = null!;
    private BootedHost _host = null!;

    [SetUp]
    public async Task BootAsync()
    {
        _database = new TestDatabase();
        var options = _database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with
        {
            ServerWideModules = ["web", "queue_job"], Init = ["test_queue_job"], Workers = 2,
        };
        _host = await TestHost.BootAsync(options, new Dictionary<string, string?> { ["queue_job:channels"] = "root:2:batch=5" });
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task A_failure_in_a_batched_channel_reaches_the_handler_once_its_batch_committed()
    {
        string failing;
        await using (var env = await _host.Database.BeginAsync())
        {
            var records = env.Model<TestQueueJobModel>();
            var record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = "batched" }));
            for (var i = 0; i < 4; i++)
            {
                await record.WithDelay().EnqueueAsync(x => x.AppendNoteAsync("x"));
            }

            failing = (await record.WithDelay().EnqueueAsync(x => x.FailTelling(TestFailureHandler.Write))).Uuid;
            for (var i = 0; i < 4; i++)
            {
                await record.WithDelay().EnqueueAsync(x => x.AppendNoteAsync("x"));
            }

            await env.CommitAsync();
        }

        await _host.Host.StartAsync();
        var failure = await TestFailureHandler.CalledAsync(failing).WaitAsync(CallTimeout);

        Assert.That(failure.Channel, Is.EqualTo("root"));
        Assert.That(await _database.ColumnAsync<string>("SELECT job_state FROM test_queue_job_failure WHERE job_uuid = $1", failing),
            Is.EqualTo(new[] { JobState.Failed }), "the handler's own transaction saw the failure committed");
        Assert.That(TestFailureHandler.CallsFor(failing), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_job_a_dead_node_left_on_its_last_try_reaches_the_handler_when_rescued()
    {
        string lastTry;
        await using (var env = await _host.Database.BeginAsync())
        {
            var records = env.Model<TestQueueJobModel>();
            lastTry = (await records.WithDelay(maxRetries: 1).EnqueueAsync(x => x.AppendNoteAsync("last"))).Uuid;
            await env.ExecuteAsync("INSERT INTO queue_job_node (id, host, pid, heartbeat) VALUES ('dead-node', 'gone', 1, now() - interval '5 minutes')");
            await env.ExecuteAsync("""
                UPDATE queue_job SET state = 'started', worker_node = 'dead-node', retry = 1, date_started = now() - interval '4 minutes'
                WHERE uuid = $1
                """, lastTry);
            await env.CommitAsync();
        }

        await _host.Host.StartAsync();
        var failure = await TestFailureHandler.CalledAsync(lastTry).WaitAsync(CallTimeout);

        Assert.That((failure.ExceptionName, failure.ExceptionMessage),
            Is.EqualTo((typeof(FailedJobError).FullName, "Max. retries (1) reached: the node running the job stopped")));
        Assert.That(failure.ExceptionInfo, Does.Contain("dead-node"));
        Assert.That((failure.Retry, failure.MaxRetries, failure.MethodName), Is.EqualTo((1, 1, nameof(TestQueueJobModel.AppendNoteAsync))));
        Assert.That(await _database.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", lastTry), Is.EqualTo(JobState.Failed));
    }
}
