using PluginHost.Testing;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Testing;

/// <summary>PluginHost.Testing's databases: a template per set of addons and build, a clone per host, dropped on dispose (issue 13, item 3).</summary>
public sealed class AddonTestHostTests
{
    private readonly List<string> _templates = [];
    private TempAddons _addons = null!;
    private string _addon = null!;

    [SetUp]
    public void CreateAddon()
    {
        // A data-only addon of its own name: its template is this test's alone.
        _addons = new TempAddons();
        _addon = "probe_" + Guid.NewGuid().ToString("N")[..12];
        _addons.DataAddon(_addon, []);
    }

    /// <summary>The probe's templates are its alone: nothing else would drop them.</summary>
    [TearDown]
    public async Task DeleteAddonAsync()
    {
        _addons.Dispose();
        foreach (var template in _templates.Distinct())
        {
            await ScalarAsync<object>($"DROP DATABASE IF EXISTS \"{template}\" WITH (FORCE)", "postgres");
        }

        _templates.Clear();
    }

    [Test]
    public async Task A_second_start_clones_the_template_of_the_first_without_installing_again()
    {
        string first;
        await using (var host = await StartAsync())
        {
            Assert.That(host.TemplateCreated, Is.True, "the first start installs into a new template");
            first = host.TemplateName;
        }

        await using var again = await StartAsync();

        Assert.That((again.TemplateCreated, again.TemplateName), Is.EqualTo((false, first)));
        Assert.That(await ScalarAsync<string>("SELECT state FROM ir_module_module WHERE name = $1", again.DatabaseName, _addon), Is.EqualTo("installed"));
    }

    [Test]
    public async Task Starts_at_the_same_time_build_the_template_once_under_its_lock()
    {
        var hosts = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(StartAsync)));
        try
        {
            Assert.That(hosts.Count(h => h.TemplateCreated), Is.EqualTo(1));
            Assert.That(hosts.Select(h => h.TemplateName).Distinct().Count(), Is.EqualTo(1));
            Assert.That(hosts.Select(h => h.DatabaseName).Distinct().Count(), Is.EqualTo(3));
        }
        finally
        {
            foreach (var host in hosts)
            {
                await host.DisposeAsync();
            }
        }
    }

    [Test]
    public async Task A_changed_addon_folder_gets_a_new_template_and_the_stale_one_is_dropped()
    {
        string first;
        await using (var host = await StartAsync())
        {
            first = host.TemplateName;
        }

        _addons.Write(_addon, "bin/rebuilt.txt", "a new build");
        await using var changed = await StartAsync();

        Assert.That(changed.TemplateCreated, Is.True);
        Assert.That(changed.TemplateName, Is.Not.EqualTo(first));
        Assert.That(await DatabaseExistsAsync(first), Is.False, "the template of the previous build is dropped");
    }

    [Test]
    public async Task Disposing_the_host_drops_its_database_and_keeps_the_template()
    {
        var host = await StartAsync();
        await using var session = await OpenAsync(host.DatabaseName);

        await host.DisposeAsync();

        Assert.That(await DatabaseExistsAsync(host.DatabaseName), Is.False, "dropped, even with a session still open on it");
        Assert.That(await DatabaseExistsAsync(host.TemplateName), Is.True);
    }

    [Test]
    public void A_missing_addons_folder_is_an_error_naming_it()
    {
        var missing = Path.Combine(_addons.Path, "not-there");

        var error = Assert.ThrowsAsync<DirectoryNotFoundException>(() =>
            AddonTestHost.StartAsync(new AddonTestHostOptions { Install = [_addon], AddonsPath = [missing], ServerConnectionString = TestPostgres.ConnectionString }));

        Assert.That(error.Message, Does.Contain(missing));
    }

    private async Task<AddonTestHost> StartAsync()
    {
        var host = await AddonTestHost.StartAsync(new AddonTestHostOptions
        {
            Install = [_addon],
            AddonsPath = [_addons.Path],
            ServerConnectionString = TestPostgres.ConnectionString,
        });
        lock (_templates)
        {
            _templates.Add(host.TemplateName);
        }

        return host;
    }

    private static async Task<bool> DatabaseExistsAsync(string name) =>
        await ScalarAsync<int>("SELECT count(*)::int FROM pg_database WHERE datname = $1", "postgres", name) == 1;

    private static async Task<T?> ScalarAsync<T>(string sql, string database, params object[] parameters)
    {
        await using var connection = await OpenAsync(database);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = parameter });
        }

        return (T?)await command.ExecuteScalarAsync();
    }

    private static async Task<Npgsql.NpgsqlConnection> OpenAsync(string database)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString) { Database = database, Pooling = false };
        var connection = new Npgsql.NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }
}
