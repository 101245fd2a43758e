using System.Collections.Concurrent;
using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;

namespace PluginHost.Bench.Table;

/// <summary>
/// Hangfire 1.8 on Hangfire.PostgreSql, in the process of a <see cref="HangfireNode"/>, with its storage in the schema
/// <c>hangfire</c> of a bench database and a 100 ms queue poll interval, so that polling does not bound its throughput.
/// </summary>
internal sealed class HangfireQueue : IDisposable
{
    private static readonly TimeSpan QueuePollInterval = TimeSpan.FromMilliseconds(100);

    private readonly string _database;
    private readonly PostgreSqlStorage _storage;
    private readonly BackgroundJobClient _client;
    private BackgroundJobServer? _server;

    public HangfireQueue(string database)
    {
        _database = database;
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = "hangfire", QueuePollInterval = QueuePollInterval, PrepareSchemaIfNecessary = true,
        };
        _storage = new PostgreSqlStorage(new NpgsqlConnectionFactory(BenchCluster.ConnectionString(database), options), options);
        _client = new BackgroundJobClient(_storage);
    }

    /// <summary>Enqueues <paramref name="jobs"/> no-op jobs from <paramref name="clients"/> threads, each job its own transaction.</summary>
    public Task EnqueueNoopsAsync(int jobs, int clients) =>
        Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(() =>
        {
            for (var i = client; i < jobs; i += clients)
            {
                EnqueueNoop();
            }
        })));

    public void EnqueueNoop() => _client.Enqueue(() => HangfireJobs.Noop());

    public void EnqueueRecordStart(int key) => _client.Enqueue(() => HangfireJobs.RecordStart(key));

    public void StartServer(int workers) =>
        _server = new BackgroundJobServer(new BackgroundJobServerOptions { WorkerCount = workers, ServerName = "bench-" + _database }, _storage);

    /// <summary>Stops the server, waiting for its workers; may be called again.</summary>
    public ValueTask StopServer()
    {
        _server?.Dispose();
        _server = null;
        return ValueTask.CompletedTask;
    }

    public void Dispose() => StopServer();
}

/// <summary>The methods Hangfire runs: a no-op, and a probe recording when it started.</summary>
public static class HangfireJobs
{
    /// <summary>Start times (UTC) of <see cref="RecordStart"/> jobs, by key.</summary>
    public static ConcurrentDictionary<int, DateTime> Started { get; } = new();

    public static void Noop()
    {
    }

    public static void RecordStart(int key) => Started[key] = DateTime.UtcNow;
}
