using PluginHost.Host.Addons;
using PluginHost.Host.Data;
using PluginHost.Host.Manifests;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Modules;

/// <summary>
/// Channels and job functions declared in a manifest (issue 10) become the same records as data files make, under the
/// addon's generated external ids: merged by name with another addon's data file, removed by an update that drops
/// them unless another addon declares them, kept at uninstall while another does; JSON and XML give the same records;
/// a mistake names the manifest, the entry and the field, and changes nothing.
/// </summary>
public sealed class ManifestDeclarationTests
{
    private const string ShopJson = """
        { "name": "shop", "version": "1.0", "depends": ["queue_job"],
          "channels": ["root.shop", "root.shop.priority"],
          "job_functions": [
            { "model": "queue.job", "method": "RequeueAsync", "channel": "root.shop",
              "retry_pattern": { "1": 10, "5": 60 }, "related_action": { "func_name": "related_action_open_record" }, "timeout": 120 },
            { "model": "queue.job", "method": "CancelAsync", "channel": "root.other.deep" }
          ] }
        """;

    private const string ShopXml = """
        <addon>
          <name>shop</name><version>1.0</version>
          <depends><item>queue_job</item></depends>
          <channels><item>root.shop</item><item>root.shop.priority</item></channels>
          <job_functions>
            <item>
              <model>queue.job</model><method>RequeueAsync</method><channel>root.shop</channel>
              <retry_pattern>{"1": 10, "5": 60}</retry_pattern>
              <related_action>{"func_name": "related_action_open_record"}</related_action><timeout>120</timeout>
            </item>
            <item><model>queue.job</model><method>CancelAsync</method><channel>root.other.deep</channel></item>
          </job_functions>
        </addon>
        """;

    /// <summary>The same channel and one function in a data file of another addon.</summary>
    private const string SalesData = """
        <odoo>
          <record id="channel_shop" model="queue.job.channel">
            <field name="name">shop</field>
            <field name="parent_id" ref="queue_job.channel_root"/>
          </record>
          <record id="function_requeue" model="queue.job.function">
            <field name="name">&lt;queue.job&gt;.RequeueAsync</field>
            <field name="channel_id" ref="channel_shop"/>
          </record>
        </odoo>
        """;

    private const string Channels = "SELECT complete_name FROM queue_job_channel ORDER BY complete_name";

    private const string Functions = """
        SELECT concat_ws(' ', name, channel, retry_pattern::text, related_action::text, timeout)
        FROM queue_job_function ORDER BY name
        """;

    private const string ExternalIds = """
        SELECT module || '.' || name || ' ' || model FROM ir_model_data WHERE module IN ('shop', 'sales') ORDER BY module, name
        """;

    private TestDatabase _database = null!;
    private TempAddons _addons = null!;

    [SetUp]
    public void Create()
    {
        _database = new TestDatabase();
        _addons = new TempAddons();
    }

    [TearDown]
    public async Task DropAsync()
    {
        _addons.Dispose();
        await _database.DisposeAsync();
    }

    [Test]
    public async Task Manifest_declarations_become_channel_and_function_records_with_generated_external_ids()
    {
        _addons.Write("shop", "manifest.json", ShopJson);

        await ApplyAsync(install: ["shop"]);

        Assert.That(await _database.ColumnAsync<string>(Channels),
            Is.EqualTo(new[] { "root", "root.other", "root.other.deep", "root.shop", "root.shop.priority" }), "missing parents created");
        Assert.That(await _database.ColumnAsync<string>(Functions), Is.EqualTo(new[]
        {
            "<queue.job>.CancelAsync root.other.deep {} {}",
            "<queue.job>.RequeueAsync root.shop {\"1\": 10, \"5\": 60} {\"func_name\": \"related_action_open_record\"} 120",
        }));
        Assert.That(await _database.ColumnAsync<string>(ExternalIds), Is.EqualTo(new[]
        {
            "shop.manifest.channel.root.other queue.job.channel",
            "shop.manifest.channel.root.other.deep queue.job.channel",
            "shop.manifest.channel.root.shop queue.job.channel",
            "shop.manifest.channel.root.shop.priority queue.job.channel",
            "shop.manifest.function.queue.job.CancelAsync queue.job.function",
            "shop.manifest.function.queue.job.RequeueAsync queue.job.function",
        }));
    }

    [Test]
    public async Task The_json_and_the_xml_manifest_give_identical_records()
    {
        await using var other = new TestDatabase();
        using var xmlAddons = new TempAddons();
        _addons.Write("shop", "manifest.json", ShopJson);
        xmlAddons.Write("shop", "manifest.xml", ShopXml);

        await ApplyAsync(install: ["shop"]);
        await using (await TestHost.BootAsync(other.Options(RepoPaths.Addons, xmlAddons.Path) with { Init = ["shop"] }))
        {
        }

        foreach (var query in new[] { Channels, Functions, ExternalIds })
        {
            Assert.That(await other.ColumnAsync<string>(query), Is.EqualTo(await _database.ColumnAsync<string>(query)).And.Not.Empty, query);
        }
    }

    [Test]
    public async Task A_channel_and_function_in_one_manifest_and_another_addons_data_file_merge_into_one_record_each()
    {
        _addons.Write("shop", "manifest.json", ShopJson);
        _addons.DataAddon("sales", ["queue_job"], "data/queue.xml");
        _addons.Write("sales", "data/queue.xml", SalesData);

        await ApplyAsync(install: ["sales", "shop"]);

        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM queue_job_channel WHERE complete_name = 'root.shop'"), Is.EqualTo(1));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM queue_job_function WHERE name = '<queue.job>.RequeueAsync'"), Is.EqualTo(1));
        Assert.That(await _database.ScalarAsync<long>("""
            SELECT count(DISTINCT res_id) FROM ir_model_data
            WHERE (module, name) IN (('shop', 'manifest.channel.root.shop'), ('sales', 'channel_shop'))
            """), Is.EqualTo(1), "both external ids point to the one channel");
    }

    [Test]
    public async Task An_update_removes_what_left_the_manifest_unless_another_addon_declares_it_and_uninstall_keeps_shared_records()
    {
        _addons.Write("shop", "manifest.json", ShopJson);
        _addons.DataAddon("sales", ["queue_job"], "data/queue.xml");
        _addons.Write("sales", "data/queue.xml", SalesData);
        await ApplyAsync(install: ["sales", "shop"]);

        // The manifest now declares root.shop and nothing else.
        _addons.Write("shop", "manifest.json", """{ "name": "shop", "version": "1.1", "depends": ["queue_job"], "channels": ["root.shop"] }""");
        await ApplyAsync(update: ["shop"]);

        Assert.That(await _database.ColumnAsync<string>(Channels), Is.EqualTo(new[] { "root", "root.shop" }));
        Assert.That(await _database.ColumnAsync<string>("SELECT name FROM queue_job_function"), Is.EqualTo(new[] { "<queue.job>.RequeueAsync" }),
            "the function sales declares too stays, the other went");

        await ApplyAsync(uninstall: ["shop"]);

        Assert.That(await _database.ColumnAsync<string>(Channels), Is.EqualTo(new[] { "root", "root.shop" }), "sales still declares root.shop");
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM ir_model_data WHERE module = 'shop'"), Is.Zero);
    }

    [Test]
    public async Task A_function_whose_channel_left_its_entry_and_the_manifest_moves_back_to_root_at_update()
    {
        _addons.Write("shop", "manifest.json", """
            { "name": "shop", "version": "1.0", "depends": ["queue_job"],
              "job_functions": [{ "model": "queue.job", "method": "RequeueAsync", "channel": "root.shop" }] }
            """);
        await ApplyAsync(install: ["shop"]);

        _addons.Write("shop", "manifest.json", """
            { "name": "shop", "version": "1.1", "depends": ["queue_job"], "job_functions": [{ "model": "queue.job", "method": "RequeueAsync" }] }
            """);
        await ApplyAsync(update: ["shop"]);

        Assert.That(await _database.ColumnAsync<string>(Channels), Is.EqualTo(new[] { "root" }));
        Assert.That(await _database.ColumnAsync<string>("SELECT name || ' ' || channel FROM queue_job_function"), Is.EqualTo(new[] { "<queue.job>.RequeueAsync root" }));
    }

    [Test]
    public async Task A_data_file_may_ref_a_channel_its_manifest_declares()
    {
        _addons.Write("shop", "manifest.json", """
            { "name": "shop", "version": "1.0", "depends": ["queue_job"], "channels": ["root.shop"], "data": ["data/functions.xml"] }
            """);
        _addons.Write("shop", "data/functions.xml", """
            <odoo>
              <record id="function_requeue" model="queue.job.function">
                <field name="name">&lt;queue.job&gt;.RequeueAsync</field>
                <field name="channel_id" ref="shop.manifest.channel.root.shop"/>
              </record>
            </odoo>
            """);

        await ApplyAsync(install: ["shop"]);

        Assert.That(await _database.ColumnAsync<string>("SELECT name || ' ' || channel FROM queue_job_function"), Is.EqualTo(new[] { "<queue.job>.RequeueAsync root.shop" }));
    }

    [TestCase("\"channels\": [\"shop\"]", "field 'channels': entry 1 'shop': 'shop' is not a complete channel name; channels are named from root (did you mean 'root.shop'?).")]
    [TestCase("\"channels\": [\"root.shop\", \"root.shop\"]", "field 'channels': entry 2 'root.shop' is given twice.")]
    [TestCase("\"channels\": [\"Root.shop\"]", "field 'channels': entry 1 'Root.shop': 'Root.shop' is not a complete channel name; channels are named from root (did you mean 'root.shop'?).")]
    [TestCase("\"channels\": [\"root.shop\\n\"]", "field 'channels': entry 1 'root.shop\n': 'root.shop\n' is not a channel name: names separated by dots, without spaces.")]
    [TestCase("\"job_functions\": [{ \"model\": \"queue.job\", \"method\": \"RequeueAsync\", \"chanel\": \"root\" }]",
        "field 'job_functions': entry 1: unknown key 'chanel' (did you mean 'channel'?). Expected: model, method, channel, retry_pattern, related_action, timeout.")]
    [TestCase("\"job_functions\": [{ \"method\": \"RequeueAsync\" }]", "field 'job_functions': entry 1: key 'model' is required: expected a model name such as \"shop.order\".")]
    [TestCase("\"job_functions\": [{ \"model\": \"queue.job\", \"method\": \"RequeueAsync\", \"timeout\": 0 }]",
        "field 'job_functions': entry 1 (<queue.job>.RequeueAsync): key 'timeout': expected whole seconds above 0, got '0'.")]
    [TestCase("\"job_functions\": [{ \"model\": \"queue.job\", \"method\": \"RequeueAsync\", \"retry_pattern\": { \"1\": -5 } }]",
        "field 'job_functions': entry 1 (<queue.job>.RequeueAsync): key 'retry_pattern': try 1: expected seconds (0 or more) or a [min, max] range, got -5.")]
    [TestCase("\"job_functions\": [{ \"model\": \"queue.job\", \"method\": \"RequeueAsync\", \"related_action\": { \"func_nam\": \"x\" } }]",
        "field 'job_functions': entry 1 (<queue.job>.RequeueAsync): key 'related_action': unknown key 'func_nam' (did you mean 'func_name'?). Expected: enable, func_name, kwargs.")]
    [TestCase("\"job_functions\": [{ \"model\": \"queue.job\", \"method\": \"RequeueAsync\" }, { \"model\": \"queue.job\", \"method\": \"RequeueAsync\" }]",
        "field 'job_functions': entry 2 (<queue.job>.RequeueAsync): <queue.job>.RequeueAsync is declared twice.")]
    public void A_malformed_declaration_is_refused_when_the_manifest_is_read_naming_the_entry_and_field(string declarations, string expected)
    {
        var manifest = _addons.Write("shop", "manifest.json", $$"""{ "name": "shop", "version": "1.0", "depends": ["queue_job"], {{declarations}} }""");

        Assert.That(() => AddonCatalog.Discover([RepoPaths.Addons, _addons.Path]),
            Throws.TypeOf<AddonGraphException>().With.Message.EqualTo($"Addons path problems:{Environment.NewLine}  - {manifest}: {expected}"));
    }

    [Test]
    public void Declaring_without_depending_on_queue_job_is_refused_naming_the_manifest()
    {
        var manifest = _addons.Write("shop", "manifest.xml", "<addon><name>shop</name><version>1.0</version><channels><item>root.shop</item></channels></addon>");

        Assert.That(() => AddonCatalog.Discover([RepoPaths.Addons, _addons.Path]), Throws.TypeOf<AddonGraphException>().With.Message.EqualTo(
            $"Addons path problems:{Environment.NewLine}  - {manifest}: field 'channels': declaring job channels or functions needs 'queue_job' in depends, which makes them records."));
    }

    [Test]
    public async Task A_function_of_an_unknown_method_is_refused_at_install_naming_the_manifest_and_entry_and_nothing_is_stored()
    {
        var manifest = _addons.Write("shop", "manifest.xml", """
            <addon><name>shop</name><version>1.0</version><depends><item>queue_job</item></depends>
              <channels><item>root.shop</item></channels>
              <job_functions><item><model>queue.job</model><method>NoSuchMethod</method><channel>root.shop</channel></item></job_functions>
            </addon>
            """);
        await ApplyAsync(install: ["queue_job"]);

        var error = Assert.ThrowsAsync<DataFileException>(() => ApplyAsync(install: ["shop"]))!;

        Assert.That(error.Message, Does.StartWith($"{manifest}: job_functions entry 1 (<queue.job>.NoSuchMethod): field 'method': 'NoSuchMethod' is not a public instance method of "));
        Assert.That(await _database.ColumnAsync<string>(Channels), Is.EqualTo(new[] { "root" }), "the channel declared before it was rolled back");
        Assert.That(await _database.ScalarAsync<string>("SELECT state FROM ir_module_module WHERE name = 'shop'"), Is.EqualTo("uninstalled"));
    }

    private async Task ApplyAsync(string[]? install = null, string[]? update = null, string[]? uninstall = null)
    {
        var options = _database.Options(RepoPaths.Addons, _addons.Path) with { Init = install ?? [], Update = update ?? [], Uninstall = uninstall ?? [] };
        await using var host = await TestHost.BootAsync(options);
    }
}
