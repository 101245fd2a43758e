using System.Collections;
using PluginHost.Host.Configuration;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Cli;

/// <summary>The file, then ODOO_QUEUE_JOB_* variables, then flags; options validated with errors naming them.</summary>
public sealed class HostConfigurationTests
{
    private TempAddons _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TempAddons();

    [TearDown]
    public void DeleteFolder() => _folder.Dispose();

    [Test]
    public void Flags_override_the_file_and_queue_job_variables_override_its_section()
    {
        var file = _folder.Write("conf", "host.conf", "[options]\ndb_name = from_file\nhttp_port = 8080\nworkers = 3\n\n[queue_job]\nchannels = root:2\n");
        var environment = new Hashtable { ["ODOO_QUEUE_JOB_CHANNELS"] = "root:4,sub:2", ["UNRELATED"] = "x" };

        var configuration = HostConfiguration.Build(file, new Dictionary<string, string?> { ["options:db_name"] = "from_flag" }, environment);
        var options = ServerOptions.From(configuration, "/default/addons");

        Assert.That((options.Database, options.HttpPort, options.Workers), Is.EqualTo(("from_flag", 8080, 3)));
        Assert.That(configuration["queue_job:channels"], Is.EqualTo("root:4,sub:2"));
        Assert.That(options.AddonsPath, Is.EqualTo(new[] { "/default/addons" }));
    }

    [Test]
    public void Defaults_apply_without_a_file()
    {
        var options = ServerOptions.From(HostConfiguration.Build(null, new Dictionary<string, string?>(), new Hashtable()), "/addons");

        Assert.That((options.Database, options.HttpPort, options.Workers, options.ServerWideModules.Single()),
            Is.EqualTo((ServerOptions.DefaultDatabase, 8069, ServerOptions.DefaultWorkers, "web")));
    }

    [TestCase("http_port", "abc", "--http-port")]
    [TestCase("db_port", "70000", "--db-port")]
    [TestCase("workers", "0", "--workers")]
    [TestCase("log_level", "loud", "--log-level")]
    [TestCase("db_wait", "-1", "--db-wait")]
    [TestCase("dbfilter", "shop_(", "--db-filter")]
    public void An_invalid_option_is_named_with_its_flag(string key, string value, string flag)
    {
        var configuration = HostConfiguration.Build(null, new Dictionary<string, string?> { [$"options:{key}"] = value }, new Hashtable());

        Assert.That(() => ServerOptions.From(configuration, "/addons"),
            Throws.ArgumentException.With.Message.Contains($"'{key}'").And.Message.Contains(flag).And.Message.Contains(value));
    }

    [Test]
    public void The_db_wait_is_the_given_default_unless_configured()
    {
        var none = HostConfiguration.Build(null, new Dictionary<string, string?>(), new Hashtable());
        var given = HostConfiguration.Build(null, new Dictionary<string, string?> { ["options:db_wait"] = "5" }, new Hashtable());

        Assert.That(ServerOptions.From(none, "/addons").DbWaitSeconds, Is.EqualTo(ServerOptions.DefaultDbWaitSeconds).And.EqualTo(30));
        Assert.That(ServerOptions.From(none, "/addons", ServerOptions.DefaultCommandDbWaitSeconds).DbWaitSeconds, Is.Zero);
        Assert.That(ServerOptions.From(given, "/addons", ServerOptions.DefaultCommandDbWaitSeconds).DbWaitSeconds, Is.EqualTo(5));
    }

    [Test]
    public void The_db_filter_matches_from_the_start_of_the_name_as_odoos()
    {
        var configuration = HostConfiguration.Build(null, new Dictionary<string, string?> { ["options:dbfilter"] = "shop_.*" }, new Hashtable());

        var filter = ServerOptions.From(configuration, "/addons").DbFilter!;

        Assert.That(new[] { "shop_eu", "shop_", "myshop_eu", "shop" }.Where(name => filter.IsMatch(name)), Is.EqualTo(new[] { "shop_eu", "shop_" }));
    }

    [TestCase("[options]\ndb_name = shop\nworkers 4\n", 3, "'workers 4' is not a [section], a 'key = value' line or a comment")]
    [TestCase("[options]\n; a comment\ndb_name = shop\n\ndb_name = other\n", 5, "'db_name' of [options] is given again; it was given on line 3")]
    public void A_bad_line_of_the_configuration_file_is_named_with_its_number(string content, int line, string problem)
    {
        var file = _folder.Write("conf", "host.conf", content);

        Assert.That(() => HostConfiguration.Build(file, new Dictionary<string, string?>(), new Hashtable()),
            Throws.ArgumentException.With.Message.Contains($"{file}:{line}: {problem}"));
    }

    [TestCase("db_name", "", "Option 'db_name' (-d): empty")]
    [TestCase("db_name", "a_database_name_that_runs_on_and_on_well_past_what_postgres_keeps", "is 65 bytes; PostgreSQL keeps database names to 63 bytes")]
    [TestCase("http_interface", "localhostt", "Option 'http_interface' (--http-interface): expected an IP address such as 127.0.0.1 or 0.0.0.0, got 'localhostt'")]
    public void A_database_name_or_interface_that_cannot_work_is_named(string key, string value, string problem)
    {
        var configuration = HostConfiguration.Build(null, new Dictionary<string, string?> { [$"options:{key}"] = value }, new Hashtable());

        Assert.That(() => ServerOptions.From(configuration, "/addons"), Throws.ArgumentException.With.Message.Contains(problem));
    }

    [Test]
    public void A_missing_configuration_file_is_named()
    {
        var missing = Path.Combine(_folder.Path, "nope.conf");

        Assert.That(() => HostConfiguration.Build(missing, new Dictionary<string, string?>(), new Hashtable()),
            Throws.ArgumentException.With.Message.Contains(missing));
    }
}
