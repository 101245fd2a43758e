using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using PluginHost.Addons.QueueJob;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Addons.QueueJob.Internal.Channels;
using PluginHost.Sdk;
using PluginHost.Host.Hosting;
using TestQueueJob;

namespace PluginHost.Tests.Support;

/// <summary>A stored job as the tests read it back.</summary>
internal sealed record JobRow(string State, int Retry, int MaxRetries, double? EtaInSeconds, string? Result, string? ExcName, string? ExcMessage, string Channel);

/// <summary>
/// A host with test_queue_job installed and no runner: tests enqueue jobs with the real API, then run them one
/// at a time through the real executor path, so retries and failures are checked without waiting for etas.
/// </summary>
internal sealed class JobHarness : IAsyncDisposable
{
    private const string ReadJob = """
        SELECT state, retry, max_retries, EXTRACT(EPOCH FROM eta - clock_timestamp())::float8, result, exc_name, exc_message, channel
        FROM queue_job WHERE uuid = $1
        """;

    private JobHarness(TestDatabase database, BootedHost host)
    {
        Database = database;
        Host = host;
        Performer = new JobPerformer(host.Database, new NodeIdentity(host.Host.Services.GetRequiredService<HostSettings>()), new RunnerOptions([new ChannelSpec("root", 1)], Enabled: false, Warnings: []), host.Host.Services.GetRequiredService<JobMetrics>(),
            NullLogger<JobPerformer>.Instance, host.Host.Services.GetRequiredService<JobFailureNotifier>());
    }

    public TestDatabase Database { get; }

    public BootedHost Host { get; }

    public JobPerformer Performer { get; }

    /// <summary>A harness whose host logs to <paramref name="logging"/> (by default nowhere).</summary>
    public static async Task<JobHarness> StartAsync(ILoggerFactory? logging = null)
    {
        var database = new TestDatabase();
        var options = database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with { Init = ["test_queue_job"] };
        return new JobHarness(database, await TestHost.BootAsync(options, logging: logging));
    }

    /// <summary>Creates a test.queue.job record and delays calls on it, committed.</summary>
    public async Task<TResult> EnqueueAsync<TResult>(Func<TestQueueJobModel, Task<TResult>> delay)
    {
        await using var env = await Host.Database.BeginAsync();
        var records = env.Model<TestQueueJobModel>();
        var record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = "fixture" }));
        var job = await delay(record);
        await env.CommitAsync();
        return job;
    }

    /// <summary>Hands the job to an executor now, whatever its eta, and runs it to its outcome.</summary>
    public async Task<JobRow> RunAsync(string uuid)
    {
        await Database.ScalarAsync<object>("UPDATE queue_job SET state = 'enqueued', date_enqueued = now() WHERE uuid = $1 AND state = 'pending'", uuid);
        Assert.That(await Performer.RunNextAsync(CancellationToken.None), Is.True, "an enqueued job to run");
        return await ReadAsync(uuid);
    }

    public async Task<JobRow> ReadAsync(string uuid)
    {
        await using var connection = await Database.ConnectAsync();
        await using var command = new Npgsql.NpgsqlCommand(ReadJob, connection) { Parameters = { new() { Value = uuid } } };
        await using var reader = await command.ExecuteReaderAsync();
        Assert.That(await reader.ReadAsync(), Is.True, $"job {uuid} exists");
        return new JobRow(reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetDouble(3),
            reader.IsDBNull(4) ? null : reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5),
            reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetString(7));
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await Database.DisposeAsync();
    }
}
