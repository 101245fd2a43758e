using PluginHost.Sdk;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Modules;

/// <summary>
/// Uninstalling one of two addons that declare the same job function (issue 13): the remaining addon's declaration of
/// a shared record is applied again at once, so the function leaves a channel only the uninstalled addon declared,
/// which then goes; a record still in use that cannot go stops the uninstall with an error naming the addon, the
/// record and what uses it, and nothing changes.
/// </summary>
public sealed class SharedDeclarationUninstallTests
{
    /// <summary>Declares root.invoicing and puts the shared function there, with its own timeout and retry pattern.</summary>
    private const string InvoicingJson = """
        { "name": "invoicing", "version": "1.0", "depends": ["queue_job"],
          "channels": ["root.invoicing"],
          "job_functions": [
            { "model": "queue.job", "method": "RequeueAsync", "channel": "root.invoicing", "timeout": 120, "retry_pattern": { "1": 10 } }
          ] }
        """;

    private const string Function = """
        SELECT concat_ws(' ', channel, timeout, retry_pattern::text) FROM queue_job_function WHERE name = '<queue.job>.RequeueAsync'
        """;

    private const string Channels = "SELECT complete_name FROM queue_job_channel ORDER BY complete_name";

    private TestDatabase _database = null!;
    private TempAddons _addons = null!;

    [SetUp]
    public void Create()
    {
        _database = new TestDatabase();
        _addons = new TempAddons();
        _addons.Write("invoicing", "manifest.json", InvoicingJson);
    }

    [TearDown]
    public async Task DropAsync()
    {
        _addons.Dispose();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task A_shared_function_moves_to_root_when_the_remaining_addon_declares_no_channel_and_the_other_channel_goes()
    {
        _addons.Write("sales", "manifest.json", """
            { "name": "sales", "version": "1.0", "depends": ["queue_job"],
              "job_functions": [{ "model": "queue.job", "method": "RequeueAsync", "timeout": 30 }] }
            """);
        await ApplyAsync(install: ["sales"]);
        await ApplyAsync(install: ["invoicing"]);
        Assert.That(await _database.ScalarAsync<string>(Function), Is.EqualTo("root.invoicing 120 {\"1\": 10}"), "invoicing wrote last");

        await ApplyAsync(uninstall: ["invoicing"]);

        Assert.That(await _database.ScalarAsync<string>(Function), Is.EqualTo("root 30 {\"1\": 10}"),
            "sales' values are written again; the retry pattern it leaves out keeps the value invoicing wrote");
        Assert.That(await _database.ColumnAsync<string>(Channels), Is.EqualTo(new[] { "root" }));
        Assert.That(await _database.ColumnAsync<string>("SELECT module FROM ir_model_data WHERE module IN ('invoicing', 'sales')"), Is.EqualTo(new[] { "sales" }));
        Assert.That(await _database.ScalarAsync<string>("SELECT state FROM ir_module_module WHERE name = 'invoicing'"), Is.EqualTo("uninstalled"));
    }

    [Test]
    public async Task A_shared_function_moves_to_the_channel_the_remaining_addon_declares_in_its_data_file()
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
        var uuid = await StoreJobAsync();

        await ApplyAsync(uninstall: ["invoicing"]);

        Assert.That(await _database.ScalarAsync<string>(Function), Is.EqualTo("root.sales 120 {\"1\": 10}"));
        Assert.That(await _database.ColumnAsync<string>(Channels), Is.EqualTo(new[] { "root", "root.sales" }));
        Assert.That(await _database.ScalarAsync<string>("""
                SELECT j.channel || ' ' || f.name FROM queue_job j JOIN queue_job_function f ON f.id = j.job_function_id WHERE j.uuid = $1
                """, uuid),
            Is.EqualTo("root.invoicing <queue.job>.RequeueAsync"), "a stored job keeps its function and the channel name it was enqueued on");
    }

    [Test]
    public async Task Uninstalling_both_addons_at_once_removes_the_function_and_both_channels()
    {
        _addons.Write("sales", "manifest.json", """
            { "name": "sales", "version": "1.0", "depends": ["invoicing"],
              "channels": ["root.sales"],
              "job_functions": [{ "model": "queue.job", "method": "RequeueAsync", "channel": "root.sales" }] }
            """);
        await ApplyAsync(install: ["sales"]);

        await ApplyAsync(uninstall: ["invoicing"]);

        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM queue_job_function"), Is.Zero);
        Assert.That(await _database.ColumnAsync<string>(Channels), Is.EqualTo(new[] { "root" }));
    }

    [Test]
    public async Task A_channel_still_used_by_a_function_no_addon_declares_stops_the_uninstall_naming_addon_record_and_function()
    {
        await ApplyAsync(install: ["invoicing"]);
        await _database.ScalarAsync<long>("""
            INSERT INTO queue_job_function (name, model_name, method, channel_id, channel)
            SELECT '<queue.job>.CancelAsync', 'queue.job', 'CancelAsync', id, complete_name FROM queue_job_channel WHERE complete_name = 'root.invoicing'
            RETURNING id
            """);

        var error = Assert.ThrowsAsync<HostStartException>(() => ApplyAsync(uninstall: ["invoicing"]))!;

        Assert.That(error.Message, Does.StartWith(
            "addon 'invoicing' cannot be uninstalled: its record invoicing.manifest.channel.root.invoicing (queue.job.channel "));
        Assert.That(error.Message, Does.Contain("channel 'root.invoicing' is the channel of job function <queue.job>.CancelAsync"));
        Assert.That(await _database.ScalarAsync<string>("SELECT state FROM ir_module_module WHERE name = 'invoicing'"), Is.EqualTo("installed"));
        Assert.That(await _database.ColumnAsync<string>(Channels), Is.EqualTo(new[] { "root", "root.invoicing" }), "rolled back");
    }

    [Test]
    public async Task A_record_another_table_still_refers_to_stops_the_uninstall_naming_addon_record_table_and_constraint()
    {
        await ApplyAsync(install: ["invoicing"]);
        await _database.ScalarAsync<object>(
            "CREATE TABLE shop_route (id bigint PRIMARY KEY, channel_id bigint CONSTRAINT shop_route_channel_fkey REFERENCES queue_job_channel (id))");
        await _database.ScalarAsync<long>("INSERT INTO shop_route SELECT 1, id FROM queue_job_channel WHERE complete_name = 'root.invoicing' RETURNING id");

        var error = Assert.ThrowsAsync<HostStartException>(() => ApplyAsync(uninstall: ["invoicing"]))!;

        Assert.That(error.Message, Does.StartWith("addon 'invoicing' cannot be uninstalled: its record invoicing.manifest.channel.root.invoicing (queue.job.channel "));
        Assert.That(error.Message, Does.EndWith(
            "cannot be deleted: rows of table shop_route still refer to it (constraint shop_route_channel_fkey, 23503); the whole request was rolled back."));
        Assert.That(await _database.ScalarAsync<string>("SELECT state FROM ir_module_module WHERE name = 'invoicing'"), Is.EqualTo("installed"));
    }

    /// <summary>A pending job of the shared function, stored on its channel at the time; returns its uuid.</summary>
    private async Task<string> StoreJobAsync()
    {
        var uuid = Guid.NewGuid().ToString();
        await _database.ScalarAsync<long>("""
            INSERT INTO queue_job (uuid, model_name, method_name, state, channel, job_function_id)
            SELECT $1, 'queue.job', 'RequeueAsync', 'pending', channel, id FROM queue_job_function WHERE name = '<queue.job>.RequeueAsync'
            RETURNING id
            """, uuid);
        return uuid;
    }

    private async Task ApplyAsync(string[]? install = null, string[]? uninstall = null)
    {
        var options = _database.Options(RepoPaths.Addons, _addons.Path) with { Init = install ?? [], Uninstall = uninstall ?? [] };
        await using var host = await TestHost.BootAsync(options);
    }
}
