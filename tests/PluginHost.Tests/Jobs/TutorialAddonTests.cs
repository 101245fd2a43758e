using Microsoft.Extensions.Hosting;
using Npgsql;
using PluginHost.Host.Hosting;
using PluginHost.Sdk;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Jobs;

/// <summary>The README tutorial's addon (tests/fixtures/addons/my_shop), installed from a folder next to the bundled addons.</summary>
public sealed class TutorialAddonTests
{
    private TestDatabase _database = null!;
    private BootedHost _host = null!;

    [SetUp]
    public async Task StartAsync()
    {
        _database = new TestDatabase();
        var options = _database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with { ServerWideModules = ["web", "queue_job"], Init = ["my_shop"] };
        _host = await TestHost.BootAsync(options);
    }

    [TearDown]
    public async Task StopAsync()
    {
        await _host.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task A_job_delayed_in_a_rolled_back_transaction_does_not_exist()
    {
        await using (var env = await _host.Database.BeginAsync())
        {
            var order = await NewOrderAsync(env);
            await ConfirmLaterAsync(order);
            Assert.That(await env.ScalarAsync<long>("SELECT count(*) FROM queue_job"), Is.EqualTo(1), "visible inside the transaction");
        }

        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM queue_job"), Is.Zero);
    }

    [Test]
    public async Task The_tutorial_job_runs_on_the_channel_its_manifest_declares()
    {
        await using var listener = await _database.ListenAsync();

        await _host.Host.StartAsync();
        string uuid;
        await using (var env = await _host.Database.BeginAsync())
        {
            uuid = await ConfirmLaterAsync(await NewOrderAsync(env));
            await env.CommitAsync();
        }

        await listener.UntilAsync(async () => await _database.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", uuid) is "done" or "failed", 30);

        Assert.That(await _database.ScalarAsync<string>("SELECT state || ' ' || channel || ' ' || priority || ' ' || func_string FROM queue_job WHERE uuid = $1", uuid),
            Is.EqualTo("done root.shop 5 shop.order(1,).ConfirmAsync('confirmed by a job')"));
        Assert.That(await _database.ScalarAsync<string>("SELECT state FROM shop_order"), Is.EqualTo("confirmed"));
        Assert.That(await _database.ScalarAsync<string>("""
                SELECT d.module || '.' || d.name || ' ' || f.channel || ' ' || f.retry_pattern::text
                FROM queue_job_function f JOIN ir_model_data d ON d.model = 'queue.job.function' AND d.res_id = f.id
                WHERE f.name = '<shop.order>.ConfirmAsync'
                """),
            Is.EqualTo("my_shop.manifest.function.shop.order.ConfirmAsync root.shop {\"1\": 10, \"5\": 60}"), "the function its manifest.xml declares");
    }

    [Test]
    public async Task A_job_left_enqueued_by_a_previous_runner_is_run_after_a_restart()
    {
        await using var listener = await _database.ListenAsync();

        string uuid;
        await using (var env = await _host.Database.BeginAsync())
        {
            uuid = await ConfirmLaterAsync(await NewOrderAsync(env));
            await env.ExecuteAsync("UPDATE queue_job SET state = 'enqueued', date_enqueued = now() WHERE uuid = $1", uuid);
            await env.CommitAsync();
        }

        await _host.Host.StartAsync();
        await listener.UntilAsync(async () => await _database.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", uuid) == "done", 30);

        Assert.That(await _database.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", uuid), Is.EqualTo("done"));
    }

    private static async Task<Model> NewOrderAsync(Env env)
    {
        var orders = env["shop.order"];
        return orders.BrowseIds([await orders.CreateAsync(new Dictionary<string, object?> { ["name"] = "SO001" })]);
    }

    private static async Task<string> ConfirmLaterAsync(Model order)
    {
        var task = (Task)order.GetType().GetMethod("ConfirmLaterAsync")!.Invoke(order, null)!;
        await task;
        var job = task.GetType().GetProperty("Result")!.GetValue(task)!;
        return (string)job.GetType().GetProperty("Uuid")!.GetValue(job)!;
    }
}
