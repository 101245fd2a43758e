using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PluginHost.Addons.QueueJob;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Host.Hosting;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// A running host with <c>--db-filter</c> picks up a database where queue_job gets installed after it started,
/// runs that database's jobs without a restart, and lets the database go when it is dropped.
/// </summary>
public sealed class MultiDatabaseTests
{
    private TestDatabase _served = null!;
    private TestDatabase _later = null!;
    private BootedHost _host = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _served = new TestDatabase();
        _later = new TestDatabase();
        var options = _served.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with
        {
            ServerWideModules = ["web", "queue_job"], Init = ["test_queue_job"],
            DbFilter = new Regex($"^(?:{_served.Name}|{_later.Name})$"),
        };
        _host = await TestHost.BootAsync(options);
        await _host.Host.StartAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        await _later.DisposeAsync();
        await _served.DisposeAsync();
    }

    [Test]
    public async Task A_database_where_queue_job_is_installed_later_is_served_without_restart()
    {
        var queues = _host.Host.Services.GetServices<IHostedService>().OfType<DatabaseQueues>().Single();
        Assert.That(queues.Queues.Keys, Is.EqualTo(new[] { _served.Name }), "at start only the host's own database is served");

        // Another process creates the database and installs queue_job (with test_queue_job), then delays a job.
        await using (var installer = await TestHost.BootAsync(_later.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with { Init = ["test_queue_job"] }))
        await using (var env = await installer.Database.BeginAsync())
        {
            var records = env.Model<TestQueueJobModel>();
            var record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = "late" }));
            await record.WithDelay().EnqueueAsync(x => x.WriteNoteAsync("ran"));
            await env.CommitAsync();
        }

        await Eventually.UntilAsync(async () => await _later.ScalarAsync<string>("SELECT state FROM queue_job") == "done", 60, 200);

        Assert.That(await _later.ScalarAsync<string>("SELECT state FROM queue_job"), Is.EqualTo("done"));
        Assert.That(await _later.ScalarAsync<string>("SELECT note FROM test_queue_job"), Is.EqualTo("ran"));
        Assert.That(await _later.ScalarAsync<string>("SELECT worker_node FROM queue_job"),
            Is.EqualTo(await _served.ScalarAsync<string>("SELECT id FROM queue_job_node")), "the running host's node ran it");
        Assert.That(queues.Queues.Keys, Is.EquivalentTo(new[] { _served.Name, _later.Name }));

        await _later.DisposeAsync();
        await Eventually.UntilAsync(() => Task.FromResult(!queues.Queues.ContainsKey(_later.Name)), 60, 200);

        Assert.That(queues.Queues.Keys, Is.EqualTo(new[] { _served.Name }), "a dropped database is let go");
    }
}
