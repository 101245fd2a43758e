using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PluginHost.Addons.QueueJob;
using PluginHost.Host.Hosting;
using PluginHost.Sdk;
using TestQueueJob;
using PluginHost.Sdk.Advanced;

namespace PluginHost.Bench.Table;

/// <summary>
/// A PluginHost node booted in this process with <c>web,queue_job</c> on a new bench database where test_queue_job
/// is installed, and one <c>test.queue.job</c> record its jobs run on. Uses only HostBootstrap, the delay API and SQL.
/// </summary>
internal sealed class InProcessHost : IAsyncDisposable
{
    /// <summary>The hosts' warnings and errors go to stderr with the progress: a run that was slow says why.</summary>
    private static readonly ILoggerFactory Warnings = LoggerFactory.Create(logging => logging
        .SetMinimumLevel(LogLevel.Warning)
        .AddFilter("Microsoft", LogLevel.Error)
        .AddSimpleConsole(console => console.SingleLine = true)
        .AddConsole(console => console.LogToStandardErrorThreshold = LogLevel.Trace));

    private bool _disposed;

    private InProcessHost(BootedHost booted, long recordId) => (Booted, RecordId) = (booted, recordId);

    public BootedHost Booted { get; }

    public Database Database => Booted.Database;

    public long RecordId { get; }

    /// <summary>Boots (installing the addons); the runner and executors start with <see cref="StartAsync"/> only.</summary>
    public static async Task<InProcessHost> BootAsync(string database, int workers, string channels)
    {
        var options = BenchDatabase.Options(BenchCluster.Server, database) with
        {
            ServerWideModules = ["web", "queue_job"], Init = ["test_queue_job"], Workers = workers, HttpPort = FreePort(),
        };
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["queue_job:channels"] = channels }).Build();
        var booted = await HostBootstrap.BootAsync(options, configuration, Warnings);
        await using var env = await booted.Database.BeginAsync();
        var recordId = await env.Model<TestQueueJobModel>().CreateAsync(new Dictionary<string, object?> { ["name"] = "bench" });
        await env.CommitAsync();
        return new InProcessHost(booted, recordId);
    }

    /// <summary>
    /// Starts the runner and executors, after closing the pool's idle connections: their backends exit and flush
    /// the transaction counts of the set-up (see <see cref="ResourceMeter.StartAsync"/>).
    /// </summary>
    public Task StartAsync()
    {
        ReleaseIdleConnections();
        return Booted.Host.StartAsync();
    }

    public void ReleaseIdleConnections() => Database.NpgsqlDataSource().Clear();

    /// <summary>Delays <c>Noop</c> on the record in its own transaction, through the public delay API.</summary>
    public async Task<DelayedJob> EnqueueNoopAsync(DateTime? eta = null)
    {
        await using var env = await Database.BeginAsync();
        var job = await env.Model<TestQueueJobModel>().Browse(RecordId).WithDelay(eta: eta).EnqueueAsync(x => x.Noop());
        await env.CommitAsync();
        return job;
    }

    /// <summary>The columns the delay API writes for a <c>Noop</c> job, read back from a rolled-back enqueue.</summary>
    public async Task<QueueJobRows> CaptureRowsAsync()
    {
        await using var env = await Database.BeginAsync();
        var job = await env.Model<TestQueueJobModel>().Browse(RecordId).WithDelay().EnqueueAsync(x => x.Noop());
        await using var command = env.CreateCommand(QueueJobRows.ReadTemplate, job.Uuid);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return QueueJobRows.From(reader);
    }

    /// <summary>Stops the node and closes its pool; may be called again.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await Booted.DisposeAsync();
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
