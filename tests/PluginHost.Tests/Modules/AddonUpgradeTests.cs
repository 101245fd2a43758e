using System.Text.RegularExpressions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PluginHost.Addons.QueueJob;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Host.Hosting;
using PluginHost.Host.Modules;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Modules;

/// <summary>
/// Two builds of one addon on one database (issue 9, item 6): upgrade_shop 1.0.0 (tests/fixtures/upgrade/v1) stores jobs,
/// 1.1.0 (tests/fixtures/upgrade/v2) boots with <c>-u upgrade_shop</c> and runs them with its runner; going back is refused.
/// Each build is loaded from its own addons folder into load contexts of its own, one host after the other.
/// </summary>
public sealed class AddonUpgradeTests : DatabaseTestBase
{
    private const string ReadOutcomes = """
        SELECT state || coalesce(': ' || exc_message, '')
        FROM queue_job
        WHERE uuid = ANY($1)
        ORDER BY id
        """;

    [Test]
    public async Task Jobs_stored_by_the_old_build_run_on_the_new_one_when_only_defaulted_parameters_were_added()
    {
        string[] uuids;
        await using (var old = await BootAsync(RepoPaths.UpgradeShopV1, init: ["upgrade_shop"]))
        {
            uuids = [await DelayAsync(old, "SO001", "ConfirmLaterAsync", "first"), await DelayAsync(old, "SO002", "ConfirmLaterAsync", "second")];
        }

        var stored = await Database.ColumnAsync<string>("SELECT method_name || ' ' || args::text FROM queue_job WHERE uuid = ANY($1) ORDER BY id", (object)uuids);

        await RunOnTheNewBuildAsync(uuids);

        Assert.That(stored, Is.EqualTo(new[] { "ConfirmAsync [\"first\"]", "ConfirmAsync [\"second\"]" }), "stored by 1.0.0 with the note alone");
        Assert.That(await OutcomesAsync(uuids), Is.EqualTo(new[] { "done", "done" }));
        Assert.That(await Database.ColumnAsync<string>(
            "SELECT concat_ws(' ', name, state, note, coalesce(priority::text, 'no priority')) FROM upgrade_shop_order ORDER BY id"),
            Is.EqualTo(new[] { "SO001 confirmed first 5", "SO002 confirmed second 5" }), "1.1.0's ConfirmAsync ran, with the default priority");
    }

    [Test]
    public async Task A_method_removed_by_the_new_build_fails_its_stored_jobs_naming_it()
    {
        string uuid;
        await using (var old = await BootAsync(RepoPaths.UpgradeShopV1, init: ["upgrade_shop"]))
        {
            uuid = await DelayAsync(old, "SO001", "ArchiveLaterAsync");
        }

        await RunOnTheNewBuildAsync(uuid);

        Assert.That(await OutcomesAsync(uuid), Is.EqualTo(new[]
        {
            "failed: Model 'upgrade.shop.order' (UpgradeShop.UpgradeShopOrder) has no public method ArchiveAsync taking 0 argument(s) " +
            "(further parameters, if any, with default values); was it renamed or changed?",
        }));
        Assert.That(await Database.ScalarAsync<string>("SELECT exc_name FROM queue_job WHERE uuid = $1", uuid),
            Is.EqualTo("PluginHost.Addons.QueueJob.Internal.JobBindingException"));
        Assert.That(await Database.ScalarAsync<string>("SELECT state FROM upgrade_shop_order"), Is.EqualTo("draft"), "nothing archived it");
    }

    [Test]
    public async Task A_downgrade_is_refused_at_start_and_at_update_naming_the_addon_and_migrations()
    {
        await BootAndStopAsync(RepoPaths.UpgradeShopV1, init: ["upgrade_shop"]);
        await BootAndStopAsync(RepoPaths.UpgradeShopV2, update: ["upgrade_shop"]);
        var migrated = await MigrationsAsync();

        var atStart = Assert.ThrowsAsync<StaleDatabaseException>(() => BootAndStopAsync(RepoPaths.UpgradeShopV1))!;
        var atUpdate = Assert.ThrowsAsync<StaleDatabaseException>(() => BootAndStopAsync(RepoPaths.UpgradeShopV1, update: ["upgrade_shop"]))!;

        foreach (var refusal in new[] { atStart, atUpdate })
        {
            Assert.That(refusal.Message, Is.EqualTo(
                $"Database '{Database.Name}' has migrations that the loaded code of its installed addons does not ship: " +
                "'upgrade_shop' (0002_order_priority; installed as version 1.1.0, the loaded build is 1.0.0). " +
                "A newer build migrated it: load that build (check --addons-path); going back to an older one is not supported."));
        }

        Assert.That(migrated.Select(m => m[..m.LastIndexOf(' ')]), Is.EqualTo(new[] { "1 upgrade_shop_order", "2 order_priority" }), "1.1.0 applied both");
        Assert.That(await MigrationsAsync(), Is.EqualTo(migrated), "the refusals changed no migration row");
        Assert.That(await Database.ScalarAsync<string>("SELECT state || ' ' || latest_version FROM ir_module_module WHERE name = 'upgrade_shop'"),
            Is.EqualTo("installed 1.1.0"));
        Assert.That(await Database.ScalarAsync<long>("SELECT count(*) FROM pg_attribute WHERE attrelid = 'upgrade_shop_order'::regclass AND attname = 'priority'"),
            Is.EqualTo(1), "the column of 0002 is still there");
    }

    [Test]
    public async Task A_database_still_on_the_old_build_is_skipped_under_db_filter_with_a_warning_until_it_is_updated()
    {
        await using var stale = new TestDatabase();
        string uuid;
        await using (var old = await TestHost.BootAsync(stale.Options(RepoPaths.Addons, RepoPaths.UpgradeShopV1) with { Init = ["upgrade_shop"] }))
        {
            uuid = await DelayAsync(old, "SO001", "ConfirmLaterAsync", "first");
        }

        // A node of the new build serves its own database and, by --db-filter, the one still on 1.0.0.
        var logs = new ListLoggerProvider();
        using var logging = LoggerFactory.Create(builder => builder.AddProvider(logs));
        var options = Database.Options(RepoPaths.Addons, RepoPaths.UpgradeShopV2) with
        {
            ServerWideModules = ["web", "queue_job"], Init = ["upgrade_shop"], DbFilter = new Regex($"^{stale.Name}$"),
        };
        await using (var node = await TestHost.BootAsync(options, logging: logging))
        {
            await node.Host.StartAsync();
            var warning = $"db {stale.Name} is left alone by this node, none of its jobs is run here: 'upgrade_shop' lacks migrations 0002_order_priority " +
                $"of the loaded build (update it: host -d {stale.Name} -u upgrade_shop)";
            Assert.That(await Eventually.UntilAsync(() => Task.FromResult(logs.Lines.Any(l => l.Message == warning)), 30, 100), Is.True, warning);
            await Task.Delay(DatabaseQueues.ScanInterval);
            Assert.That(await stale.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", uuid), Is.EqualTo("pending"), "its job waits");

            // The update the warning names, run by another process while the node keeps running.
            await (await TestHost.BootAsync(stale.Options(RepoPaths.Addons, RepoPaths.UpgradeShopV2) with { Update = ["upgrade_shop"] })).DisposeAsync();
            Assert.That(await Eventually.UntilAsync(async () => await stale.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", uuid) == "done", 60, 200),
                Is.True, "once updated, the node serves it and runs its job with the new build");
        }

        Assert.That(await stale.ScalarAsync<string>("SELECT concat_ws(' ', state, note, priority) FROM upgrade_shop_order"), Is.EqualTo("confirmed first 5"));
    }

    /// <summary>Boots a host with <paramref name="build"/> on the addons path (after the bundled addons), no runner started.</summary>
    private Task<BootedHost> BootAsync(string build, string[]? init = null, string[]? update = null) =>
        TestHost.BootAsync(Database.Options(RepoPaths.Addons, build) with { Init = init ?? [], Update = update ?? [] });

    private async Task BootAndStopAsync(string build, string[]? init = null, string[]? update = null) =>
        await (await BootAsync(build, init, update)).DisposeAsync();

    /// <summary>
    /// Creates an order and calls its <paramref name="method"/>, which delays a job with the real API of the build the host
    /// loaded (reached by reflection: the build's types live in its load context); committed, the job's uuid.
    /// </summary>
    private static async Task<string> DelayAsync(BootedHost host, string order, string method, params object[] arguments)
    {
        await using var env = await host.Database.BeginAsync();
        var orders = env["upgrade.shop.order"];
        var record = orders.BrowseIds([await orders.CreateAsync(new Dictionary<string, object?> { ["name"] = order })]);
        var job = await (Task<DelayedJob>)record.GetType().GetMethod(method)!.Invoke(record, arguments)!;
        await env.CommitAsync();
        return job.Uuid;
    }

    /// <summary>
    /// Boots 1.1.0 with <c>-u upgrade_shop</c> (it brings migration 0002) and queue_job server-wide, starts its runner, and
    /// waits on the runner's notifications until the stored jobs are done or failed.
    /// </summary>
    private async Task RunOnTheNewBuildAsync(params string[] uuids)
    {
        await using var listener = await Database.ListenAsync();
        var options = Database.Options(RepoPaths.Addons, RepoPaths.UpgradeShopV2) with { ServerWideModules = ["web", "queue_job"], Update = ["upgrade_shop"] };
        await using var host = await TestHost.BootAsync(options);
        await host.Host.StartAsync();
        await listener.UntilAsync(async () =>
            await Database.ScalarAsync<long>("SELECT count(*) FROM queue_job WHERE uuid = ANY($1) AND state IN ('done', 'failed')", (object)uuids) == uuids.Length, 30);
    }

    /// <summary>Each job's state, with its error message when it has one, in the order the jobs were stored.</summary>
    private Task<List<string>> OutcomesAsync(params string[] uuids) => Database.ColumnAsync<string>(ReadOutcomes, (object)uuids);

    /// <summary>The addon's migration rows as <c>version name checksum</c>, in order.</summary>
    private Task<List<string>> MigrationsAsync() =>
        Database.ColumnAsync<string>(
            "SELECT concat_ws(' ', version, name, coalesce(checksum, 'none')) FROM ir_module_migration WHERE module = 'upgrade_shop' ORDER BY version");
}
