using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PluginHost.Addons.QueueJob;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>The [queue_job] channels string as the runner reads it at start-up.</summary>
public sealed class RunnerConfigurationTests : DatabaseTestBase
{
    [Test]
    public void An_invalid_capacity_names_the_channels_entry()
    {
        var options = Database.Options(RepoPaths.Addons) with { ServerWideModules = ["web", "queue_job"] };

        Assert.That(() => TestHost.BootAsync(options, new Dictionary<string, string?> { ["queue_job:channels"] = "root:2,sub:many" }),
            Throws.ArgumentException.With.Message.Contains("'sub:many'").And.Message.Contains("'many'"));
    }

    [Test]
    public async Task A_zero_root_capacity_after_the_first_entry_is_unlimited_and_jobs_run()
    {
        var log = new ListLoggerProvider();
        using var logging = LoggerFactory.Create(b => b.AddProvider(log));
        var options = Database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with
        {
            ServerWideModules = ["web", "queue_job"], Init = ["test_queue_job"], Workers = 2,
        };
        await using var host = await TestHost.BootAsync(options, new Dictionary<string, string?> { ["queue_job:channels"] = "sub:2,root:0,sub:2:pace" }, logging);
        await using (var env = await host.Database.BeginAsync())
        {
            var records = env.Model<TestQueueJobModel>();
            var record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = "unlimited root" }));
            for (var i = 0; i < 5; i++)
            {
                await record.WithDelay().EnqueueAsync(x => x.Noop());
            }

            await env.CommitAsync();
        }

        await host.Host.StartAsync();

        Assert.That(await Eventually.UntilAsync(async () => await Database.ScalarAsync<long>("SELECT count(*) FROM queue_job WHERE state = 'done'") == 5, 30),
            Is.True, "the jobs of an unlimited root ran");
        Assert.That(log.Lines.Where(l => l.Level == LogLevel.Warning).Select(l => l.Message), Is.SupersetOf(new[]
        {
            "[queue_job] channels: entry 'sub:2:pace': unknown option 'pace', ignored (known: sequential, throttle, batch).",
            "[queue_job] channels: entry 'sub:2:pace' configures root.sub again, after 'sub:2'; the later entry is used.",
        }));
    }

    [Test]
    public async Task A_related_action_no_loaded_addon_registers_is_a_warning_at_start()
    {
        var options = Database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with { ServerWideModules = ["web", "queue_job"], Init = ["test_queue_job"] };
        await (await TestHost.BootAsync(options)).DisposeAsync();
        await Database.ScalarAsync<object>("UPDATE queue_job_function SET related_action = '{\"func_name\": \"nowhere\"}' WHERE name = '<test.queue.job>.AppendNoteAsync'");
        var log = new ListLoggerProvider();
        using var logging = LoggerFactory.Create(b => b.AddProvider(log));

        await using var host = await TestHost.BootAsync(options with { Init = [] }, logging: logging);
        await host.Host.StartAsync();

        Assert.That(log.Lines.Where(l => l.Level == LogLevel.Warning).Select(l => l.Message),
            Has.Some.StartsWith("job function <test.queue.job>.AppendNoteAsync: its related action 'nowhere' is registered by no loaded addon"));
    }

    [TestCase("root:0", false)]
    [TestCase("root:3", true)]
    public async Task Root_without_capacity_disables_the_runner(string channels, bool runs)
    {
        var options = Database.Options(RepoPaths.Addons) with { ServerWideModules = ["web", "queue_job"] };

        await using var host = await TestHost.BootAsync(options, new Dictionary<string, string?> { ["queue_job:channels"] = channels });
        await host.Host.StartAsync();
        var queues = host.Host.Services.GetServices<IHostedService>().OfType<DatabaseQueues>().Single().Queues;

        Assert.That(queues.Keys, Is.EqualTo(new[] { options.Database }), "the served database has its queue as soon as the host is started");
        Assert.That(queues[options.Database].HasRunner, Is.EqualTo(runs));
    }
}
