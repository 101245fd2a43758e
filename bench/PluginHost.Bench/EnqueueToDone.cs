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
/// On an idle host: from the commit of a delayed no-op job to its <c>done</c> notification — the runner's wake-up,
/// the enqueue, the executor's claim and run, and the notify round trip. Needs PLUGINHOST_BENCH_PG (a connection
/// string; scripts/bench sets it).
/// </summary>
[MemoryDiagnoser]
public class EnqueueToDone
{
    private readonly string _database = "bench_" + Guid.NewGuid().ToString("N")[..12];
    private NpgsqlConnectionStringBuilder _server = null!;
    private BootedHost _host = null!;
    private NpgsqlConnection _listener = null!;
    private long _recordId;

    [GlobalSetup]
    public async Task StartAsync()
    {
        var server = _server = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable("PLUGINHOST_BENCH_PG")
            ?? throw new InvalidOperationException("Set PLUGINHOST_BENCH_PG to a PostgreSQL connection string (scripts/bench does)."));
        var root = RepoRoot();
        var options = new ServerOptions
        {
            AddonsPath = [Path.Combine(root, "addons"), Path.Combine(root, "tests", "fixtures", "addons")],
            Database = _database, DbHost = server.Host!, DbPort = server.Port, DbUser = server.Username, DbPassword = server.Password,
            ServerWideModules = ["web", "queue_job"], Init = ["test_queue_job"], HttpPort = 18069,
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["queue_job:channels"] = "root:4" }).Build();
        _host = await HostBootstrap.BootAsync(options, configuration, NullLoggerFactory.Instance);
        await _host.Host.StartAsync();
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
        await _listener.DisposeAsync();
        await _host.DisposeAsync();
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
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

    private static string RepoRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "PluginHost.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("PluginHost.sln not found above " + AppContext.BaseDirectory);
    }
}
