using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PluginHost.Addons.QueueJob.Internal.Channels;
using PluginHost.Host.Configuration;
using PluginHost.Host.Hosting;

namespace PluginHost.Bench;

/// <summary>
/// One runner decision (read the snapshot, choose the jobs) with 1 k and with 1 M pending jobs in 10 channels: the
/// time and the memory allocated should not grow with the backlog. Needs PLUGINHOST_BENCH_PG.
/// </summary>
[MemoryDiagnoser]
public class RunnerRound
{
    private const string FillBacklog = """
        INSERT INTO queue_job (uuid, model_name, method_name, state, channel, priority, date_created)
        SELECT gen_random_uuid()::text, 'test.queue.job', 'AppendNoteAsync', 'pending', 'root.c' || (i % 10), i % 7,
               now() - make_interval(secs => i)
        FROM generate_series(1, $1) AS i
        """;

    private readonly string _database = "bench_" + Guid.NewGuid().ToString("N")[..12];
    private readonly ChannelManager _channels = new(ChannelConfiguration.Parse("root:8,c1:2,c2:2"));
    private NpgsqlConnectionStringBuilder _server = null!;
    private NpgsqlConnection _connection = null!;

    [Params(1_000, 1_000_000)]
    public int PendingJobs { get; set; }

    [GlobalSetup]
    public async Task FillAsync()
    {
        _server = BenchDatabase.Server();
        var options = BenchDatabase.Options(_server, _database) with { Init = ["test_queue_job"] };
        await using (await HostBootstrap.BootAsync(options, new ConfigurationBuilder().Build(), NullLoggerFactory.Instance))
        {
        }

        _connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = _database }.ConnectionString);
        await _connection.OpenAsync();
        await using var fill = new NpgsqlCommand(FillBacklog, _connection) { Parameters = { new() { Value = PendingJobs } }, CommandTimeout = 600 };
        await fill.ExecuteNonQueryAsync();
        await using var analyze = new NpgsqlCommand("ANALYZE queue_job", _connection);
        await analyze.ExecuteNonQueryAsync();
    }

    [GlobalCleanup]
    public async Task DropAsync()
    {
        await _connection.DisposeAsync();
        await BenchDatabase.DropAsync(_server, _database);
    }

    [Benchmark]
    public async Task<int> ReadAndChoose()
    {
        var (now, snapshot, _) = await ChannelSnapshotReader.ReadAsync(_connection, _channels, 8, CancellationToken.None);
        return _channels.Select(snapshot, now).Count;
    }
}
