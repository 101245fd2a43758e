using PluginHost.Host.Configuration;
using PluginHost.Sdk;
using TestQueueJob;

namespace PluginHost.Tests.Support;

/// <summary>
/// Tests with several real <c>host</c> processes on one database where test_queue_job is installed; the processes
/// are killed and the database dropped when the test ends.
/// </summary>
public abstract class HostProcessTestBase
{
    private readonly List<HostProcess> _nodes = [];

    internal TestDatabase Database { get; private set; } = null!;

    internal IReadOnlyList<HostProcess> Nodes => _nodes;

    [SetUp]
    public async Task InstallAsync()
    {
        Database = new TestDatabase();
        await using var install = await TestHost.BootAsync(Options() with { Init = ["test_queue_job"] });
    }

    [TearDown]
    public async Task StopNodesAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }

        _nodes.Clear();
        await Database.DisposeAsync();
    }

    /// <summary>Starts a node with two workers and the given <c>ODOO_QUEUE_JOB_*</c> variables.</summary>
    internal HostProcess StartNode(IReadOnlyDictionary<string, string> queueJobEnvironment)
    {
        var node = HostProcess.Start(Options(), workers: 2, queueJobEnvironment);
        _nodes.Add(node);
        return node;
    }

    /// <summary>
    /// Starts a node with two workers that reaches PostgreSQL through <paramref name="port"/> of this machine (a
    /// <see cref="TcpForwarder"/>), with the given <c>ODOO_QUEUE_JOB_*</c> variables and more flags.
    /// </summary>
    internal HostProcess StartNodeThrough(int port, IReadOnlyDictionary<string, string> queueJobEnvironment, params string[] flags)
    {
        var node = HostProcess.Start(Options() with { DbHost = "127.0.0.1", DbPort = port }, workers: 2, queueJobEnvironment, flags);
        _nodes.Add(node);
        return node;
    }

    /// <summary>Creates one record per job, named <c>job N</c>, and delays <paramref name="delay"/> on each; committed.</summary>
    internal async Task EnqueueAsync(int count, Func<TestQueueJobModel, int, Task> delay)
    {
        await using var host = await TestHost.BootAsync(Options());
        await using var env = await host.Database.BeginAsync();
        var records = env.Model<TestQueueJobModel>();
        for (var i = 0; i < count; i++)
        {
            await delay(records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = $"job {i}" })), i);
        }

        await env.CommitAsync();
    }

    private ServerOptions Options() => Database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons);
}
