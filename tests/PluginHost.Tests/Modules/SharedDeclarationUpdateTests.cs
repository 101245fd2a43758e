using PluginHost.Tests.Support;

namespace PluginHost.Tests.Modules;

/// <summary>
/// Updating one of two addons that declare the same job function to a version that no longer declares it (issue 13),
/// as uninstalling it does: the other addon's declaration of the shared record is applied again before the updated
/// addon's stale records go, so the function takes its values and leaves a channel only the updated addon declared,
/// which then goes; a stale record no other addon declares is still deleted.
/// </summary>
public sealed class SharedDeclarationUpdateTests
{
    /// <summary>Declares root.invoicing and puts the shared function there, with its own timeout and retry pattern.</summary>
    private const string InvoicingV1 = """
        { "name": "invoicing", "version": "1.0", "depends": ["queue_job"],
          "channels": ["root.invoicing"],
          "job_functions": [
            { "model": "queue.job", "method": "RequeueAsync", "channel": "root.invoicing", "timeout": 120, "retry_pattern": { "1": 10 } }
          ] }
        """;

    /// <summary>The next version declares neither the channel nor the function.</summary>
    private const string InvoicingV2 = """
        { "name": "invoicing", "version": "1.1", "depends": ["queue_job"] }
        """;

    private const string Function = """
        SELECT concat_ws(' ', channel, timeout, retry_pattern::text) FROM queue_job_function WHERE name = '<queue.job>.RequeueAsync'
        """;

    private const string Channels = "SELECT complete_name FROM queue_job_channel ORDER BY complete_name";

    private const string ExternalIds = """
        SELECT module || '.' || name FROM ir_model_data WHERE module IN ('invoicing', 'sales') ORDER BY module, name
        """;

    private TestDatabase _database = null!;
    private TempAddons _addons = null!;

    [SetUp]
    public void Create()
    {
        _database = new TestDatabase();
        _addons = new TempAddons();
        _addons.Write("invoicing", "manifest.json", InvoicingV1);
    }

    [TearDown]
    public async Task DropAsync()
    {
        _addons.Dispose();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task A_shared_function_the_update_drops_takes_the_remaining_declaration_and_the_dropped_channel_goes()
    {
        _addons.Write("sales", "manifest.json", """
            { "name": "sales", "version": "1.0", "depends": ["queue_job"],
              "job_functions": [{ "model": "queue.job", "method": "RequeueAsync", "timeout": 30 }] }
            """);
        await ApplyAsync(install: ["sales"]);
        await ApplyAsync(install: ["invoicing"]);
        Assert.That(await _database.ScalarAsync<string>(Function), Is.EqualTo("root.invoicing 120 {\"1\": 10}"), "invoicing wrote last");

        _addons.Write("invoicing", "manifest.json", InvoicingV2);
        await ApplyAsync(update: ["invoicing"]);

        Assert.That(await _database.ScalarAsync<string>(Function), Is.EqualTo("root 30 {\"1\": 10}"),
            "sales' values are written again; the retry pattern it leaves out keeps the value invoicing wrote");
        Assert.That(await _database.ColumnAsync<string>(Channels), Is.EqualTo(new[] { "root" }));
        Assert.That(await _database.ColumnAsync<string>(ExternalIds), Is.EqualTo(new[] { "sales.manifest.function.queue.job.RequeueAsync" }));
        Assert.That(await _database.ScalarAsync<string>("SELECT latest_version FROM ir_module_module WHERE name = 'invoicing'"), Is.EqualTo("1.1"));
    }

    [Test]
    public async Task A_shared_function_the_update_drops_moves_to_the_channel_the_remaining_addon_declares_in_its_data_file()
    {
        _addons.DataAddon("sales", ["queue_job"], "data/queue.xml");
        _addons.Write("sales", "data/queue.xml", """
            <odoo>
              <record id="channel_sales" model="queue.job.channel">
                <field name="name">sales</field>
                <field name="parent_id" ref="queue_job.channel_root"/>
              </record>
              <record id="function_requeue" model="queue.job.function">
                <field name="name">&lt;queue.job&gt;.RequeueAsync</field>
                <field name="channel_id" ref="channel_sales"/>
              </record>
            </odoo>
            """);
        await ApplyAsync(install: ["sales"]);
        await ApplyAsync(install: ["invoicing"]);

        _addons.Write("invoicing", "manifest.json", InvoicingV2);
        await ApplyAsync(update: ["invoicing"]);

        Assert.That(await _database.ScalarAsync<string>(Function), Is.EqualTo("root.sales 120 {\"1\": 10}"));
        Assert.That(await _database.ColumnAsync<string>(Channels), Is.EqualTo(new[] { "root", "root.sales" }));
        Assert.That(await _database.ColumnAsync<string>(ExternalIds), Is.EqualTo(new[] { "sales.channel_sales", "sales.function_requeue" }));
    }

    [Test]
    public async Task A_record_the_update_drops_and_no_other_addon_declares_is_still_deleted()
    {
        _addons.Write("invoicing", "manifest.json", """
            { "name": "invoicing", "version": "1.0", "depends": ["queue_job"],
              "channels": ["root.invoicing"],
              "job_functions": [
                { "model": "queue.job", "method": "RequeueAsync", "channel": "root.invoicing" },
                { "model": "queue.job", "method": "CancelAsync", "channel": "root.invoicing" }
              ] }
            """);
        _addons.Write("sales", "manifest.json", """
            { "name": "sales", "version": "1.0", "depends": ["queue_job"],
              "job_functions": [{ "model": "queue.job", "method": "RequeueAsync", "timeout": 30 }] }
            """);
        await ApplyAsync(install: ["sales"]);
        await ApplyAsync(install: ["invoicing"]);

        _addons.Write("invoicing", "manifest.json", InvoicingV2);
        await ApplyAsync(update: ["invoicing"]);

        Assert.That(await _database.ColumnAsync<string>("SELECT name || ' ' || channel FROM queue_job_function ORDER BY name"),
            Is.EqualTo(new[] { "<queue.job>.RequeueAsync root" }), "the function only invoicing declared went");
        Assert.That(await _database.ColumnAsync<string>(Channels), Is.EqualTo(new[] { "root" }));
    }

    [Test]
    public async Task A_shared_function_the_update_still_declares_keeps_the_updated_addons_values()
    {
        _addons.Write("sales", "manifest.json", """
            { "name": "sales", "version": "1.0", "depends": ["queue_job"],
              "job_functions": [{ "model": "queue.job", "method": "RequeueAsync", "timeout": 30 }] }
            """);
        await ApplyAsync(install: ["sales"]);
        await ApplyAsync(install: ["invoicing"]);

        // Only the channel left the manifest: the function moves to root, keeping invoicing's timeout.
        _addons.Write("invoicing", "manifest.json", """
            { "name": "invoicing", "version": "1.1", "depends": ["queue_job"],
              "job_functions": [{ "model": "queue.job", "method": "RequeueAsync", "timeout": 90 }] }
            """);
        await ApplyAsync(update: ["invoicing"]);

        Assert.That(await _database.ScalarAsync<string>(Function), Is.EqualTo("root 90 {\"1\": 10}"));
        Assert.That(await _database.ColumnAsync<string>(Channels), Is.EqualTo(new[] { "root" }));
    }

    private async Task ApplyAsync(string[]? install = null, string[]? update = null)
    {
        var options = _database.Options(RepoPaths.Addons, _addons.Path) with { Init = install ?? [], Update = update ?? [] };
        await using var host = await TestHost.BootAsync(options);
    }
}
