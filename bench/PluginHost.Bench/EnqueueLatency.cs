using System.Diagnostics;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PluginHost.Addons.QueueJob;
using PluginHost.Host.Configuration;
using PluginHost.Host.Hosting;
using PluginHost.Sdk;
using TestQueueJob;

namespace PluginHost.Bench;

/// <summary>
/// On an idle host, from delaying a job and committing: to the job's method being entered (the runner's wake-up,
/// the enqueue, the executor's wake-up and claim), and to its <c>done</c> notification (plus the run, the commit
/// and the notify round trip). Needs PLUGINHOST_BENCH_PG (a connection string; scripts/bench sets it).
/// </summary>
[MemoryDiagnoser]
public class EnqueueLatency
{
    private readonly string _database = "bench_" + Guid.NewGuid().ToString("N")[..12];
    private NpgsqlConnectionStringBuilder _server = null!;
    private BootedHost _host = null!;
    private NpgsqlConnection _listener = null!;
    private long _recordId;
    private readonly List<TimeSpan> _commitToStart = [];
    private TaskCompletionSource<long> _started = new();

    [GlobalSetup]
    public async Task StartAsync()
    {
        var server = _server = BenchDatabase.Server();
        var options = BenchDatabase.Options(server, _database) with { ServerWideModules = ["web", "queue_job"], Init = ["test_queue_job"] };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["queue_job:channels"] = "root:4" }).Build();
        _host = await HostBootstrap.BootAsync(options, configuration, NullLoggerFactory.Instance);
        await _host.Host.StartAsync();
        TestQueueJobModel.Started += _ => _started.TrySetResult(Stopwatch.GetTimestamp());
        _listener = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server.ConnectionString) { Database = _database }.ConnectionString);
        await _listener.OpenAsync();
        await using (var listen = new NpgsqlCommand("LISTEN queue_job", _listener))
        {
            await listen.ExecuteNonQueryAsync();
        }

        await using var env = await _host.Database.BeginAsync();
        _recordId = await env.Model<TestQueueJobModel>().CreateAsync(new Dictionary<string, object?> { ["name"] = "bench" });
        await env.CommitAsync();
    }

    [GlobalCleanup]
    public async Task StopAsync()
    {
        if (_commitToStart.Count > 0)
        {
            var sorted = _commitToStart.Order().ToList();
            Console.WriteLine($"// commit returned → job method entered, {sorted.Count} jobs: median {sorted[sorted.Count / 2].TotalMilliseconds:0.00} ms, " +
                $"mean {sorted.Average(t => t.TotalMilliseconds):0.00} ms, p95 {sorted[(int)(sorted.Count * 0.95)].TotalMilliseconds:0.00} ms");
        }

        await _listener.DisposeAsync();
        await _host.DisposeAsync();
        await BenchDatabase.DropAsync(_server, _database);
    }

    [Benchmark]
    public async Task DelayedJobStarts()
    {
        _started = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (var env = await _host.Database.BeginAsync())
        {
            await env.Model<TestQueueJobModel>().Browse(_recordId).WithDelay().EnqueueAsync(x => x.ReportStarted("bench"));
            await env.CommitAsync();
        }

        var committed = Stopwatch.GetTimestamp();
        _commitToStart.Add(Stopwatch.GetElapsedTime(committed, await _started.Task.WaitAsync(TimeSpan.FromSeconds(10))));
    }

    [Benchmark]
    public async Task DelayedJobIsDone()
    {
        string uuid;
        await using (var env = await _host.Database.BeginAsync())
        {
            uuid = (await env.Model<TestQueueJobModel>().Browse(_recordId).WithDelay().EnqueueAsync(x => x.WriteNoteAsync("bench"))).Uuid;
            await env.CommitAsync();
        }

        await using var state = new NpgsqlCommand("SELECT state FROM queue_job WHERE uuid = $1", _listener) { Parameters = { new() { Value = uuid } } };
        while ((string?)await state.ExecuteScalarAsync() != "done")
        {
            await _listener.WaitAsync(TimeSpan.FromSeconds(5));
        }
    }
}
