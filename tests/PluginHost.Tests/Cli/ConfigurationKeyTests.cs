using System.Collections;
using Microsoft.Extensions.Logging;
using PluginHost.Host.Cli;
using PluginHost.Host.Configuration;
using PluginHost.Host.Hosting;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Cli;

/// <summary>
/// Keys nothing reads are warnings naming where they were given and the nearest known key; Odoo's keys that PluginHost
/// does not use are one line of ignored keys (issue 9, item 3).
/// </summary>
public sealed class ConfigurationKeyTests : DatabaseTestBase
{
    private TempAddons _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TempAddons();

    [TearDown]
    public void DeleteFolder() => _folder.Dispose();

    [Test]
    public async Task Typos_are_warnings_naming_the_file_or_variable_and_the_nearest_key()
    {
        var file = _folder.Write("conf", "host.conf", "[options]\ndb_nmae = x\n\n[queue_job]\nnode_timout = 10\n\n[queu_job]\nchannels = root:2\n");

        var lines = await BootAsync(file, new Hashtable { ["ODOO_QUEUE_JOB_CHANELS"] = "root:2" });

        Assert.That(lines.Where(l => l.Level == LogLevel.Warning).Select(l => l.Message), Is.EquivalentTo(new[]
        {
            $"configuration: [options] db_nmae in {file}: unknown key (did you mean 'db_name'?); it is not read. Known keys: {string.Join(", ", ServerOptions.Keys)}.",
            $"configuration: [queue_job] node_timout in {file}: unknown key (did you mean 'node_timeout'?); it is not read. Known keys: channels, node_timeout, http_auth_user, http_auth_password.",
            "configuration: [queue_job] chanels (ODOO_QUEUE_JOB_CHANELS): unknown key (did you mean 'channels'?); it is not read. Known keys: channels, node_timeout, http_auth_user, http_auth_password.",
            $"configuration: section [queu_job] in {file}: no addon of that name on the addons path (did you mean 'queue_job'?); it is not read.",
        }));
    }

    [Test]
    public async Task Odoo_keys_PluginHost_does_not_use_are_reported_once_as_ignored_not_as_typos()
    {
        var file = _folder.Write("conf", "host.conf", "[options]\nadmin_passwd = secret\nxmlrpc_port = 8069\n\n[queue_job]\nscheme = https\n");

        var lines = await BootAsync(file, new Hashtable { ["ODOO_QUEUE_JOB_PORT"] = "8069" });

        Assert.That(lines.Where(l => l.Level == LogLevel.Warning), Is.Empty);
        Assert.That(lines.Where(l => l.Message.Contains("ignored")).Select(l => l.Message), Is.EqualTo(new[]
        {
            $"configuration: ignored, PluginHost does not use them: [options] admin_passwd in {file}, [options] xmlrpc_port in {file}, " +
            $"[queue_job] port (ODOO_QUEUE_JOB_PORT), [queue_job] scheme in {file}",
        }));
    }

    [Test]
    public async Task Known_keys_give_no_warning()
    {
        var file = _folder.Write("conf", "host.conf", "[options]\nworkers = 2\nhttp_interface = 127.0.0.1\n\n[queue_job]\nchannels = root:2\nnode_timeout = 30\n");

        var lines = await BootAsync(file, new Hashtable { ["ODOO_QUEUE_JOB_HTTP_AUTH_USER"] = "runner" });

        Assert.That(lines.Where(l => l.Level >= LogLevel.Warning || l.Message.StartsWith("configuration")), Is.Empty);
    }

    [Test]
    public void Every_flag_sets_a_known_options_key()
    {
        var keys = CommandLine.Options.Select(o => o.Key).OfType<string>().ToList();

        Assert.That(keys, Is.Not.Empty);
        Assert.That(keys, Is.SubsetOf(ServerOptions.Keys));
    }

    /// <summary>Boots web and queue_job with the file, the variables and the test's own database and server; returns what the boot logged.</summary>
    private async Task<List<(LogLevel Level, string Category, string Message, Exception? Exception)>> BootAsync(string file, Hashtable environment)
    {
        var flags = Database.Options(RepoPaths.Addons) with { ServerWideModules = ["web", "queue_job"], Init = ["queue_job"] };
        var configuration = HostConfiguration.Build(file, new Dictionary<string, string?>(), environment);
        var logs = new ListLoggerProvider();
        using var logging = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        await using var booted = await HostBootstrap.BootAsync(flags, configuration, logging);
        return logs.Lines.Where(l => l.Category == typeof(HostBootstrap).FullName).ToList();
    }
}
