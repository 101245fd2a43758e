using PluginHost.Host.Data;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Modules;

/// <summary>Install, update and uninstall against a real database, with data files merged across addons.</summary>
public sealed class ModuleLifecycleTests
{
    private const string SalesChannelXml = """
        <odoo>
          <record id="channel_sales" model="queue.job.channel">
            <field name="name">sales</field>
            <field name="parent_id" ref="queue_job.channel_root"/>
          </record>
          <record id="function_confirm" model="queue.job.function">
            <field name="name">&lt;queue.job&gt;.RequeueAsync</field>
            <field name="channel_id" ref="channel_sales"/>
            <field name="retry_pattern" eval="{1: 10, 5: 20}"/>
          </record>
        </odoo>
        """;

    private const string SalesChannelJson = """
        { "records": [
            { "id": "sales", "model": "queue.job.channel", "fields": { "name": "sales", "parent_id": { "ref": "queue_job.channel_root" } } },
            { "id": "confirm", "model": "queue.job.function",
              "fields": { "model_name": "queue.job", "method": "RequeueAsync", "channel_id": { "ref": "sales" } } }
        ] }
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
    public async Task Installing_queue_job_creates_its_tables_and_the_root_channel()
    {
        await ApplyAsync(install: ["queue_job"]);

        Assert.That(await _database.ColumnAsync<string>("SELECT name FROM ir_module_module WHERE state = 'installed' ORDER BY name"),
            Is.EqualTo(new[] { "queue_job", "web" }));
        Assert.That(await _database.ColumnAsync<string>("SELECT complete_name FROM queue_job_channel"), Is.EqualTo(new[] { "root" }));
        Assert.That(await _database.ScalarAsync<long>(
            "SELECT count(*) FROM ir_model_data d JOIN queue_job_channel c ON c.id = d.res_id WHERE d.module = 'queue_job' AND d.name = 'channel_root'"),
            Is.EqualTo(1));
    }

    [Test]
    public async Task Migrations_are_applied_once()
    {
        await ApplyAsync(install: ["queue_job"]);
        await ApplyAsync(update: ["queue_job"]);

        Assert.That(await _database.ColumnAsync<int>("SELECT version FROM ir_module_migration WHERE module = 'queue_job' ORDER BY version"),
            Is.EqualTo(PluginHost.Sdk.SchemaMigration.FromResources(typeof(PluginHost.Addons.QueueJob.QueueJobAddon).Assembly).Select(m => m.Version)));
    }

    [Test]
    public async Task A_database_missing_a_newer_migration_of_an_installed_addon_is_refused_until_updated()
    {
        // The database as the previous release of queue_job left it: without its latest migration.
        await ApplyAsync(install: ["queue_job"]);
        var latest = PluginHost.Sdk.SchemaMigration.FromResources(typeof(PluginHost.Addons.QueueJob.QueueJobAddon).Assembly).MaxBy(m => m.Version)!;
        await _database.ScalarAsync<object>("CREATE INDEX queue_job_date_created_index ON queue_job (date_created DESC, id DESC)");
        await _database.ScalarAsync<object>("DELETE FROM ir_module_migration WHERE module = 'queue_job' AND version = $1", latest.Version);

        var refusal = Assert.ThrowsAsync<PluginHost.Host.Modules.StaleDatabaseException>(() => ApplyAsync());
        await ApplyAsync(update: ["queue_job"]);

        Assert.That(refusal.Message, Is.EqualTo($"Database '{_database.Name}' lacks migrations of installed addons: 'queue_job' ({latest.Version:D4}_{latest.Name}). " +
            $"Update them first: host -d {_database.Name} -u queue_job (or -u all)."));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE indexname = 'queue_job_date_created_index'"),
            Is.Zero, "the update applied it");
    }

    [Test]
    public async Task A_database_migrated_by_a_newer_build_is_refused_at_start_and_at_update_and_left_as_it_is()
    {
        // A newer build of queue_job applied a migration this build does not ship, and installed itself as 1.1.0.
        await ApplyAsync(install: ["queue_job"]);
        await _database.ScalarAsync<object>("INSERT INTO ir_module_migration (module, version, name) VALUES ('queue_job', 99, 'from_a_newer_build')");
        await _database.ScalarAsync<object>("UPDATE ir_module_module SET latest_version = '1.1.0' WHERE name = 'queue_job'");
        // A record the newer build's data declares, which this build's update would delete as no longer declared.
        await _database.ScalarAsync<object>("""
            WITH channel AS (
                INSERT INTO queue_job_channel (name, parent_id, complete_name)
                SELECT 'newer', id, 'root.newer' FROM queue_job_channel WHERE complete_name = 'root'
                RETURNING id)
            INSERT INTO ir_model_data (module, name, model, res_id, noupdate) SELECT 'queue_job', 'channel_newer', 'queue.job.channel', id, false FROM channel
            """);

        var atStart = Assert.ThrowsAsync<PluginHost.Host.Modules.StaleDatabaseException>(() => ApplyAsync())!;
        var atUpdate = Assert.ThrowsAsync<PluginHost.Host.Modules.StaleDatabaseException>(() => ApplyAsync(update: ["queue_job"]))!;

        foreach (var refusal in new[] { atStart, atUpdate })
        {
            Assert.That(refusal.Message, Does.Contain($"Database '{_database.Name}' has migrations that the loaded code of its installed addons does not ship")
                .And.Contain("'queue_job' (0099_from_a_newer_build; installed as version 1.1.0, the loaded build is 1.0.0)").And.Contain("load that build"));
        }

        Assert.That(await _database.ScalarAsync<string>("SELECT latest_version FROM ir_module_module WHERE name = 'queue_job'"), Is.EqualTo("1.1.0"));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM ir_model_data WHERE module = 'queue_job' AND name = 'channel_newer'"), Is.EqualTo(1),
            "the update deleted none of the addon's records");
    }

    [Test]
    public async Task Each_applied_migration_is_stored_with_the_checksum_of_its_sql()
    {
        await ApplyAsync(install: ["queue_job"]);

        Assert.That(await _database.ColumnAsync<string>("SELECT coalesce(checksum, 'none') FROM ir_module_migration WHERE module = 'queue_job' ORDER BY version"),
            Is.EqualTo(QueueJobMigrations().Select(m => Sha256(m.Sql))));
    }

    [Test]
    public async Task A_database_migrated_before_checksums_were_kept_gets_them_at_the_next_start()
    {
        // The database as a build from before checksums left it: ir_module_migration without the column.
        await ApplyAsync(install: ["queue_job"]);
        await _database.ScalarAsync<object>("ALTER TABLE ir_module_migration DROP COLUMN checksum");

        await ApplyAsync();

        Assert.That(await _database.ColumnAsync<string>("SELECT coalesce(checksum, 'none') FROM ir_module_migration WHERE module = 'queue_job' ORDER BY version"),
            Is.EqualTo(QueueJobMigrations().Select(m => Sha256(m.Sql))));
    }

    [Test]
    public async Task A_migration_whose_sql_changed_since_it_was_applied_is_refused_at_start_and_at_update_and_left_as_it_is()
    {
        // Storing another checksum is what shipping edited SQL looks like to the database that applied the original.
        await ApplyAsync(install: ["queue_job"]);
        var (first, latest) = (QueueJobMigrations()[0], QueueJobMigrations()[^1]);
        var stored = Sha256("-- the SQL as it was released");
        await _database.ScalarAsync<object>("UPDATE ir_module_migration SET checksum = $1 WHERE module = 'queue_job' AND version = $2", stored, first.Version);
        // A checksum the start would record, and a record the update would delete as no longer declared.
        await _database.ScalarAsync<object>("UPDATE ir_module_migration SET checksum = NULL WHERE module = 'queue_job' AND version = $1", latest.Version);
        await _database.ScalarAsync<object>("""
            INSERT INTO ir_model_data (module, name, model, res_id, noupdate)
            SELECT 'queue_job', 'channel_undeclared', 'queue.job.channel', id, false FROM queue_job_channel WHERE complete_name = 'root'
            """);

        var atStart = Assert.ThrowsAsync<PluginHost.Host.Modules.StaleDatabaseException>(() => ApplyAsync())!;
        var atUpdate = Assert.ThrowsAsync<PluginHost.Host.Modules.StaleDatabaseException>(() => ApplyAsync(update: ["queue_job"]))!;

        foreach (var refusal in new[] { atStart, atUpdate })
        {
            Assert.That(refusal.Message, Is.EqualTo($"Database '{_database.Name}' has applied migrations whose SQL the loaded code changed: " +
                $"'queue_job' {first.Version:D4}_{first.Name}.sql (stored {stored}, shipped {Sha256(first.Sql)}). " +
                "A migration must never be edited once released: restore its SQL and ship the change as a new migration."));
        }

        Assert.That(await _database.ColumnAsync<string>("SELECT coalesce(checksum, 'none') FROM ir_module_migration WHERE module = 'queue_job' AND version IN ($1, $2) ORDER BY version",
            first.Version, latest.Version), Is.EqualTo(new[] { stored, "none" }));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM ir_model_data WHERE module = 'queue_job' AND name = 'channel_undeclared'"), Is.EqualTo(1),
            "the update deleted none of the addon's records");
    }

    [Test]
    public async Task A_failing_migration_is_named_with_its_addon_and_file_and_nothing_is_kept()
    {
        await _database.CreateAsync();
        var options = _database.Options(RepoPaths.Addons, RepoPaths.BrokenAddons) with { Init = ["failing_migration"] };

        var error = Assert.ThrowsAsync<PluginHost.Sdk.HostStartException>(async () => await (await TestHost.BootAsync(options)).DisposeAsync())!;

        Assert.That(error.Message, Does.Contain("addon 'failing_migration': migration 0002_again.sql failed: 42P07: relation \"failing_first\" already exists")
            .And.Contain("rolled back"));
        Assert.That(await _database.ScalarAsync<string>("SELECT to_regclass('failing_first')::text"), Is.Null, "the first migration was rolled back too");
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM ir_module_migration WHERE module = 'failing_migration'"), Is.Zero);
    }

    [Test]
    public async Task Channels_and_functions_declared_by_two_addons_are_merged_by_name()
    {
        _addons.DataAddon("sales_a", ["queue_job"], "data/channels.xml");
        _addons.Write("sales_a", "data/channels.xml", SalesChannelXml);
        _addons.DataAddon("sales_b", ["queue_job"], "data/channels.json");
        _addons.Write("sales_b", "data/channels.json", SalesChannelJson);

        await ApplyAsync(install: ["sales_a", "sales_b"]);

        Assert.That(await _database.ColumnAsync<string>("SELECT complete_name FROM queue_job_channel ORDER BY id"), Is.EqualTo(new[] { "root", "root.sales" }));
        Assert.That(await _database.ColumnAsync<string>("SELECT name || ' ' || channel || ' ' || retry_pattern::text FROM queue_job_function"),
            Is.EqualTo(new[] { "<queue.job>.RequeueAsync root.sales {\"1\": 10, \"5\": 20}" }));
        Assert.That(await _database.ScalarAsync<long>(
            "SELECT count(DISTINCT res_id) FROM ir_model_data WHERE module IN ('sales_a', 'sales_b') AND model = 'queue.job.channel'"), Is.EqualTo(1));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM ir_model_data WHERE module IN ('sales_a', 'sales_b')"), Is.EqualTo(4));
    }

    [Test]
    public async Task A_merged_record_disappears_only_with_the_last_addon_declaring_it()
    {
        _addons.DataAddon("sales_a", ["queue_job"], "data/channels.xml");
        _addons.Write("sales_a", "data/channels.xml", SalesChannelXml);
        _addons.DataAddon("sales_b", ["queue_job"], "data/channels.json");
        _addons.Write("sales_b", "data/channels.json", SalesChannelJson);
        await ApplyAsync(install: ["sales_a", "sales_b"]);

        await ApplyAsync(uninstall: ["sales_a"]);
        var afterFirst = await _database.ColumnAsync<string>("SELECT complete_name FROM queue_job_channel ORDER BY id");
        var functionsAfterFirst = await _database.ScalarAsync<long>("SELECT count(*) FROM queue_job_function");

        await ApplyAsync(uninstall: ["sales_b"]);

        Assert.That(afterFirst, Is.EqualTo(new[] { "root", "root.sales" }));
        Assert.That(functionsAfterFirst, Is.EqualTo(1));
        Assert.That(await _database.ColumnAsync<string>("SELECT complete_name FROM queue_job_channel"), Is.EqualTo(new[] { "root" }));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM queue_job_function"), Is.Zero);
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM ir_model_data WHERE module IN ('sales_a', 'sales_b')"), Is.Zero);
        Assert.That(await _database.ColumnAsync<string>("SELECT state FROM ir_module_module WHERE name IN ('sales_a', 'sales_b')"),
            Is.EqualTo(new[] { "uninstalled", "uninstalled" }));
    }

    [Test]
    public async Task An_update_deletes_the_records_whose_external_id_vanished_from_the_files()
    {
        _addons.DataAddon("shop", ["queue_job"], "data/channels.json");
        var data = _addons.Write("shop", "data/channels.json", Channels("kept", "dropped"));
        await ApplyAsync(install: ["shop"]);
        var before = await _database.ColumnAsync<string>("SELECT complete_name FROM queue_job_channel ORDER BY id");

        File.WriteAllText(data, Channels("kept"));
        await ApplyAsync(update: ["shop"]);

        Assert.That(before, Is.EqualTo(new[] { "root", "root.kept", "root.dropped" }));
        Assert.That(await _database.ColumnAsync<string>("SELECT complete_name FROM queue_job_channel ORDER BY id"), Is.EqualTo(new[] { "root", "root.kept" }));
        Assert.That(await _database.ColumnAsync<string>("SELECT name FROM ir_model_data WHERE module = 'shop'"), Is.EqualTo(new[] { "channel_kept" }));
    }

    [Test]
    public async Task An_update_rewrites_records_but_leaves_noupdate_ones_alone()
    {
        _addons.DataAddon("retention", ["queue_job"], "data/channels.xml");
        var data = _addons.Write("retention", "data/channels.xml", Retention(10, 10));
        await ApplyAsync(install: ["retention"]);

        File.WriteAllText(data, Retention(20, 20));
        await ApplyAsync(update: ["retention"]);

        Assert.That(await _database.ColumnAsync<int>("SELECT removal_interval FROM queue_job_channel WHERE name IN ('updated', 'frozen') ORDER BY name"),
            Is.EqualTo(new[] { 10, 20 }));
    }

    [Test]
    public async Task An_update_keeps_a_noupdate_record_that_left_the_files()
    {
        _addons.DataAddon("retention", ["queue_job"], "data/channels.xml");
        var data = _addons.Write("retention", "data/channels.xml", Retention(10, 10));
        await ApplyAsync(install: ["retention"]);

        File.WriteAllText(data, "<odoo/>");
        await ApplyAsync(update: ["retention"]);

        Assert.That(await _database.ColumnAsync<string>("SELECT name FROM queue_job_channel WHERE name IN ('updated', 'frozen')"), Is.EqualTo(new[] { "frozen" }));
    }

    [Test]
    public async Task An_unsupported_attribute_in_xml_data_is_named()
    {
        _addons.DataAddon("odoo_style", ["queue_job"], "data/channels.xml");
        _addons.Write("odoo_style", "data/channels.xml", """
            <odoo><record id="c" model="queue.job.channel"><field name="name">c</field><field name="parent_id" search="[('name', '=', 'root')]"/></record></odoo>
            """);

        Assert.That(() => ApplyAsync(install: ["odoo_style"]),
            Throws.TypeOf<DataFileException>().With.Message.Contains("unsupported attribute 'search'"));
    }

    [Test]
    public async Task A_key_given_twice_in_json_data_names_the_file()
    {
        _addons.DataAddon("twice", ["queue_job"], "data/channels.json");
        var data = _addons.Write("twice", "data/channels.json", """{ "records": [ { "id": "c", "id": "d", "model": "queue.job.channel", "fields": {} } ] }""");

        Assert.That(() => ApplyAsync(install: ["twice"]), Throws.TypeOf<DataFileException>().With.Message.EqualTo($"{data}: invalid JSON: Duplicate property 'id' encountered during deserialization."));
    }

    [Test]
    public async Task A_bad_field_in_a_data_file_names_the_file_record_and_field_and_stores_nothing()
    {
        await _database.CreateAsync();
        _addons.DataAddon("typo_data", ["queue_job"], "data/channels.json");
        var data = _addons.Write("typo_data", "data/channels.json", """
            { "records": [ { "id": "bad", "model": "queue.job.channel", "fields": { "nmae": "x", "parent_id": { "ref": "queue_job.channel_root" } } } ] }
            """);

        var error = Assert.ThrowsAsync<DataFileException>(() => ApplyAsync(install: ["typo_data"]))!;

        Assert.That(error.Message, Does.Contain(data).And.Contain("record 'bad'").And.Contain("'nmae'"));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM ir_module_module WHERE state = 'installed'"), Is.Zero);
        Assert.That(await _database.ScalarAsync<string>("SELECT to_regclass('queue_job')::text"), Is.Null);
    }

    [Test]
    public async Task A_job_function_with_a_malformed_retry_pattern_is_refused_naming_the_record()
    {
        _addons.DataAddon("bad_pattern", ["queue_job"], "data/functions.xml");
        _addons.Write("bad_pattern", "data/functions.xml", """
            <odoo><record id="fn" model="queue.job.function"><field name="name">&lt;a.b&gt;.C</field><field name="retry_pattern" eval="{1: 'soon'}"/></record></odoo>
            """);

        Assert.That(() => ApplyAsync(install: ["bad_pattern"]),
            Throws.TypeOf<DataFileException>().With.Message.Contains("record 'fn'").And.Message.Contains("value of try 1"));
    }

    [TestCase("&lt;no.such.model&gt;.Run", "field 'model_name': no loaded addon registers the model 'no.such.model'")]
    [TestCase("&lt;queue.job&gt;.NoSuchMethod", "field 'method': 'NoSuchMethod' is not a public instance method of PluginHost.Addons.QueueJob.QueueJob")]
    public async Task A_job_function_of_an_unknown_model_or_method_is_refused_naming_the_record_and_field(string name, string problem)
    {
        await _database.CreateAsync();
        _addons.DataAddon("bad_function", ["queue_job"], "data/functions.xml");
        var data = _addons.Write("bad_function", "data/functions.xml", $"""
            <odoo><record id="fn" model="queue.job.function"><field name="name">{name}</field></record></odoo>
            """);

        var error = Assert.ThrowsAsync<DataFileException>(() => ApplyAsync(install: ["bad_function"]))!;

        Assert.That(error.Message, Does.Contain(data).And.Contain("record 'fn'").And.Contain(problem));
        Assert.That(await _database.ScalarAsync<string>("SELECT state FROM ir_module_module WHERE name = 'bad_function'"), Is.Not.EqualTo("installed"));
    }

    [Test]
    public async Task A_retry_pattern_that_is_not_json_is_refused_naming_the_record_and_field()
    {
        _addons.DataAddon("text_pattern", ["queue_job"], "data/functions.xml");
        _addons.Write("text_pattern", "data/functions.xml", """
            <odoo><record id="fn" model="queue.job.function"><field name="name">&lt;queue.job&gt;.RequeueAsync</field><field name="retry_pattern">every minute</field></record></odoo>
            """);

        Assert.That(() => ApplyAsync(install: ["text_pattern"]), Throws.TypeOf<DataFileException>()
            .With.Message.Contains("record 'fn'").And.Message.Contains("field 'retry_pattern': every minute is not JSON").And.Message.Contains("for example"));
    }

    [Test]
    public async Task A_related_action_with_an_unknown_key_is_refused_naming_the_record()
    {
        _addons.DataAddon("bad_action", ["queue_job"], "data/functions.xml");
        _addons.Write("bad_action", "data/functions.xml", """
            <odoo><record id="fn" model="queue.job.function"><field name="name">&lt;a.b&gt;.C</field><field name="related_action" eval="{'enabled': False}"/></record></odoo>
            """);

        Assert.That(() => ApplyAsync(install: ["bad_action"]),
            Throws.TypeOf<DataFileException>().With.Message.Contains("record 'fn'").And.Message.Contains("unknown key 'enabled'"));
    }

    [Test]
    public async Task The_same_external_id_twice_in_one_load_is_refused_naming_both_places()
    {
        await _database.CreateAsync();
        _addons.DataAddon("twice_id", ["queue_job"], "data/first.xml", "data/second.json");
        var first = _addons.Write("twice_id", "data/first.xml", """
            <odoo><record id="sales" model="queue.job.channel"><field name="name">sales</field><field name="parent_id" ref="queue_job.channel_root"/></record></odoo>
            """);
        var second = _addons.Write("twice_id", "data/second.json", """
            { "records": [ { "id": "sales", "model": "queue.job.channel", "fields": { "name": "sales2", "parent_id": { "ref": "queue_job.channel_root" } } } ] }
            """);

        var error = Assert.ThrowsAsync<DataFileException>(() => ApplyAsync(install: ["twice_id"]))!;

        Assert.That(error.Message, Does.Contain(second).And.Contain("external id 'twice_id.sales' is declared again").And.Contain(first));
        Assert.That(await _database.ScalarAsync<long>("SELECT count(*) FROM ir_module_module WHERE state = 'installed'"), Is.Zero, "the install was rolled back");
    }

    [Test]
    public async Task A_reference_to_an_unknown_external_id_is_named()
    {
        _addons.DataAddon("bad_ref", ["queue_job"], "data/channels.xml");
        _addons.Write("bad_ref", "data/channels.xml", """
            <odoo><record id="orphan" model="queue.job.channel"><field name="name">orphan</field><field name="parent_id" ref="queue_job.no_such_channel"/></record></odoo>
            """);

        Assert.That(() => ApplyAsync(install: ["bad_ref"]),
            Throws.TypeOf<DataFileException>().With.Message.Contains("record 'orphan'").And.Message.Contains("queue_job.no_such_channel"));
    }

    [Test]
    public async Task An_auto_install_addon_is_installed_with_its_last_dependency_and_uninstalled_with_its_first()
    {
        _addons.DataAddon("left", []);
        _addons.DataAddon("right", []);
        _addons.Write("bridge", "manifest.json", """{ "name": "bridge", "version": "1.0", "depends": ["left", "right"], "auto_install": true }""");

        await ApplyAsync(install: ["left"]);
        var afterLeft = await InstalledAsync();
        await ApplyAsync(install: ["right"]);
        var afterRight = await InstalledAsync();
        await ApplyAsync(uninstall: ["left"]);

        Assert.That(afterLeft, Is.EqualTo(new[] { "left" }));
        Assert.That(afterRight, Is.EqualTo(new[] { "bridge", "left", "right" }));
        Assert.That(await InstalledAsync(), Is.EqualTo(new[] { "right" }));
    }

    [Test]
    public void Updating_an_addon_that_is_not_installed_is_an_error_naming_it()
    {
        _addons.DataAddon("lonely", []);

        Assert.That(() => ApplyAsync(update: ["lonely"]), Throws.ArgumentException.With.Message.Contains("-u lonely"));
    }

    private static IReadOnlyList<PluginHost.Sdk.SchemaMigration> QueueJobMigrations() =>
        PluginHost.Sdk.SchemaMigration.FromResources(typeof(PluginHost.Addons.QueueJob.QueueJobAddon).Assembly);

    /// <summary>The checksum a migration's SQL should have: SHA-256 of its UTF-8 bytes, with \n line endings.</summary>
    private static string Sha256(string sql) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));

    private Task<List<string>> InstalledAsync() =>
        _database.ColumnAsync<string>("SELECT name FROM ir_module_module WHERE state = 'installed' ORDER BY name");

    private async Task ApplyAsync(string[]? install = null, string[]? update = null, string[]? uninstall = null)
    {
        var options = _database.Options(RepoPaths.Addons, _addons.Path) with { Init = install ?? [], Update = update ?? [], Uninstall = uninstall ?? [] };
        await using var host = await TestHost.BootAsync(options);
    }

    private static string Channels(params string[] names) =>
        "{ \"records\": [" + string.Join(", ", names.Select(n =>
            $$"""{ "id": "channel_{{n}}", "model": "queue.job.channel", "fields": { "name": "{{n}}", "parent_id": { "ref": "queue_job.channel_root" } } }""")) + "] }";

    private static string Retention(int updated, int frozen) => $"""
        <odoo>
          <record id="updated" model="queue.job.channel">
            <field name="name">updated</field><field name="parent_id" ref="queue_job.channel_root"/><field name="removal_interval" eval="{updated}"/>
          </record>
          <data noupdate="1">
            <record id="frozen" model="queue.job.channel">
              <field name="name">frozen</field><field name="parent_id" ref="queue_job.channel_root"/><field name="removal_interval" eval="{frozen}"/>
            </record>
          </data>
        </odoo>
        """;
}
