using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PluginHost.Addons.QueueJob;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Host.Hosting;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// A running host with <c>--db-filter</c> picks up a database where queue_job gets installed after it started,
/// runs that database's jobs without a restart, and lets the database go when it is dropped. A database this node's
/// code does not fit (migrations missing, or recorded by a newer build) is left alone with a warning, checked at each
/// scan: the host's own too (issue 9, item 6).
/// </summary>
public sealed class MultiDatabaseTests
{
    private TestDatabase _served = null!;
    private TestDatabase _later = null!;
    private BootedHost _host = null!;
    private ListLoggerProvider _logs = null!;
    private ILoggerFactory _logging = null!;
    private PluginHost.Host.Configuration.ServerOptions _options = null!;

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
        _options = options;
        _logs = new ListLoggerProvider();
        _logging = LoggerFactory.Create(logging => logging.AddProvider(_logs));
        _host = await TestHost.BootAsync(options, logging: _logging);
        await _host.Host.StartAsync();
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        _logging.Dispose();
        _logs.Dispose();
        await _later.DisposeAsync();
        await _served.DisposeAsync();
    }

    [Test]
    public async Task A_database_behind_or_ahead_of_this_nodes_code_is_left_alone_with_a_warning_and_served_once_it_fits()
    {
        var queues = _host.Host.Services.GetServices<IHostedService>().OfType<DatabaseQueues>().Single();
        var latest = await InstallLaterAsync(); // queue_job's latest migration as it is recorded
        await _later.ScalarAsync<object>("DELETE FROM ir_module_migration WHERE module = 'queue_job' AND version = $1", latest.Version);

        var behind = $"db {_later.Name} is left alone by this node, none of its jobs is run here: 'queue_job' lacks migrations {latest.Version:D4}_{latest.Name} " +
            $"of the loaded build (update it: host -d {_later.Name} -u queue_job)";
        // A queue picked up before the deletion leaves the list once its stop is over.
        Assert.That(await Eventually.UntilAsync(() => Task.FromResult(Warned(behind) && !queues.Queues.ContainsKey(_later.Name)), 30, 100), Is.True, behind);
        var job = await DelayInLaterAsync();
        await Task.Delay(DatabaseQueues.ScanInterval * 2);
        Assert.That(queues.Queues.Keys, Is.EqualTo(new[] { _served.Name }));
        Assert.That(await _later.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", job), Is.EqualTo("pending"), "no job of it was run");
        Assert.That(_logs.Lines.Count(l => l.Message == behind), Is.EqualTo(1), "the warning is given once while it lasts");

        // A newer build migrated it meanwhile: the warning says so.
        await _later.ScalarAsync<object>("INSERT INTO ir_module_migration (module, version, name) VALUES ('queue_job', $1, $2), ('queue_job', 999, 'from_a_newer_build')",
            latest.Version, latest.Name);
        var ahead = $"db {_later.Name} is left alone by this node, none of its jobs is run here: 'queue_job' has migrations 0999_from_a_newer_build " +
            "that the loaded build does not ship (a newer build migrated it: serve it with that build)";
        Assert.That(await Eventually.UntilAsync(() => Task.FromResult(Warned(ahead)), 30, 100), Is.True, ahead);

        await _later.ScalarAsync<object>("DELETE FROM ir_module_migration WHERE module = 'queue_job' AND version = 999");
        Assert.That(await Eventually.UntilAsync(async () => await _later.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", job) == "done", 60, 200),
            Is.True, "once it fits, it is served");
    }

    [Test]
    public async Task The_hosts_own_database_migrated_by_a_newer_build_while_it_runs_is_let_go_with_a_warning()
    {
        var queues = _host.Host.Services.GetServices<IHostedService>().OfType<DatabaseQueues>().Single();

        // Another node of a rolling upgrade, with a newer build of queue_job, updated the database.
        await _served.ScalarAsync<object>("INSERT INTO ir_module_migration (module, version, name) VALUES ('queue_job', 999, 'from_a_newer_build')");

        var ahead = $"db {_served.Name} is left alone by this node, none of its jobs is run here: 'queue_job' has migrations 0999_from_a_newer_build " +
            "that the loaded build does not ship (a newer build migrated it: serve it with that build)";
        Assert.That(await Eventually.UntilAsync(() => Task.FromResult(Warned(ahead)), 30, 100), Is.True, ahead);
        Assert.That(await Eventually.UntilAsync(() => Task.FromResult(queues.Queues.Count == 0), 30, 100), Is.True, "its queue stopped");
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

    [Test]
    public async Task Metrics_count_the_jobs_of_each_served_database_under_its_db_label_until_it_is_let_go()
    {
        await using (var installer = await TestHost.BootAsync(_later.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with { Init = ["test_queue_job"] }))
        await using (var env = await installer.Database.BeginAsync())
        {
            var records = env.Model<TestQueueJobModel>();
            var record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = "late" }));
            await record.WithDelay().EnqueueAsync(x => x.WriteNoteAsync("ran"));
            await env.CommitAsync();
        }

        using var http = TestHost.MetricsClient(_options);
        var later = $"queue_job_jobs{{db=\"{_later.Name}\",state=\"done\",channel=\"root\"}} 1";
        var text = "";
        await Eventually.UntilAsync(async () => (text = await http.GetStringAsync("/metrics")).Contains(later, StringComparison.Ordinal), 60, 200);
        Assert.That(text.Split('\n'), Does.Contain(later), "the later database's counts, read by its own loop");
        Assert.That(text, Does.Not.Contain($"db=\"{_served.Name}\""), "the host's own database has no job: no series of it");

        await _later.DisposeAsync();
        await Eventually.UntilAsync(async () => !(text = await http.GetStringAsync("/metrics")).Contains(_later.Name, StringComparison.Ordinal), 60, 200);
        Assert.That(text, Does.Not.Contain(_later.Name), "a database let go leaves /metrics");
    }

    /// <summary>Installs test_queue_job in the later database from another host; returns queue_job's latest recorded migration.</summary>
    private async Task<(int Version, string Name)> InstallLaterAsync()
    {
        await (await TestHost.BootAsync(_later.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with { Init = ["test_queue_job"] })).DisposeAsync();
        var version = await _later.ScalarAsync<int>("SELECT max(version) FROM ir_module_migration WHERE module = 'queue_job'");
        return (version, await _later.ScalarAsync<string>("SELECT name FROM ir_module_migration WHERE module = 'queue_job' AND version = $1", version) ?? "");
    }

    /// <summary>
    /// Stores one pending job in the later database with SQL, as a host of the same build would (a host cannot boot on it
    /// while it lacks migrations), so the running host's scan alone decides whether it runs.
    /// </summary>
    private async Task<string> DelayInLaterAsync()
    {
        var record = await _later.ScalarAsync<long>("INSERT INTO test_queue_job (name) VALUES ('late') RETURNING id");
        return (await _later.ScalarAsync<string>("""
            INSERT INTO queue_job (uuid, user_id, name, model_name, method_name, record_ids, records, args, func_string, state, channel)
            VALUES (gen_random_uuid()::text, 1, 'late', 'test.queue.job', 'WriteNoteAsync', jsonb_build_array($1::bigint),
                    jsonb_build_object('_type', 'odoo_recordset', 'model', 'test.queue.job', 'ids', jsonb_build_array($1::bigint), 'uid', 1, 'context', '{}'::jsonb),
                    '["ran"]', 'late', 'pending', 'root')
            RETURNING uuid
            """, record))!;
    }

    private bool Warned(string message) => _logs.Lines.Any(l => l.Level == LogLevel.Warning && l.Message == message);
}
