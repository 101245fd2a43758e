using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Cli;

/// <summary>
/// A host started while PostgreSQL is down waits for it (<c>--db-wait</c>, 30 s when serving, 0 for addon commands)
/// with one clear line, and gives up naming the server and the option; bad options are reported before any connection
/// (issue 9, item 3). Real <c>host</c> processes against a port where nothing listens, or a relay started late.
/// </summary>
public sealed class DatabaseWaitTests
{
    private const string NeverCreated = "test_db_wait_never_created";

    [Test]
    public async Task A_host_gives_up_after_its_db_wait_naming_the_server_and_the_option()
    {
        var port = TestDatabase.FreePort();
        await using var host = HostProcess.Run(Flags(NeverCreated, port, "--db-wait", "2"));

        var exitCode = await host.ExitCodeAsync(120);
        var log = host.Log;

        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(Lines(log, $"PostgreSQL at 127.0.0.1:{port} is not reachable (", "); waiting up to 2 s (--db-wait)"), Is.EqualTo(1), "one line says it waits");
        var gaveUp = log.Single(l => l.Contains(" CRITICAL ", StringComparison.Ordinal));
        Assert.That(gaveUp, Does.Contain($"PostgreSQL at 127.0.0.1:{port} is not reachable (").And.EndsWith("); gave up after waiting 2 s (--db-wait)."));
        Assert.That(At(gaveUp) - At(log.First(l => l.Contains("PluginHost starting", StringComparison.Ordinal))), Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(2)),
            "it waited the 2 s");
        Assert.That(log.Where(l => l.TrimStart().StartsWith("at ", StringComparison.Ordinal)), Is.Empty, "no stack trace");
    }

    [Test]
    public async Task A_host_started_before_the_server_listens_starts_once_it_does()
    {
        await using var server = new TcpForwarder();
        await using var database = new TestDatabase();
        await using var host = HostProcess.Run(Flags(database.Name, server.Port, "--stop-after-init"));

        var waiting = await Eventually.UntilAsync(() => Task.FromResult(host.Log.Any(l => l.Contains("waiting up to 30 s (--db-wait)", StringComparison.Ordinal))), 60, 100);
        Assert.That(waiting, Is.True, "the host waits, 30 s by default when it serves or installs");
        server.Start();
        var exitCode = await host.ExitCodeAsync(180);

        Assert.That(exitCode, Is.EqualTo(0), "the host started, installed web and stopped after init");
        Assert.That(host.Log, Has.One.Contains($"PostgreSQL at 127.0.0.1:{server.Port} is reachable after"));
        Assert.That(await database.ScalarAsync<string>("SELECT state FROM ir_module_module WHERE name = 'web'"), Is.EqualTo("installed"));
    }

    [TestCase("--db-wait", "soon", "host: Option 'db_wait' (--db-wait): expected an integer from 0 to 86400, got 'soon'.")]
    [TestCase("--workers", "0", "host: Option 'workers' (--workers): expected an integer from 1 to 1024, got '0'.")]
    public async Task A_bad_option_is_reported_before_any_connection_attempt(string flag, string value, string message)
    {
        // Something listens where the server should be: a connection attempt would wait in its backlog.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var host = HostProcess.Run(Flags(NeverCreated, port, flag, value));

        var exitCode = await host.ExitCodeAsync(60);

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(host.Log, Does.Contain(message));
        Assert.That(listener.Pending(), Is.False, "no connection was attempted");
    }

    [Test]
    public async Task A_bad_section_of_a_server_wide_addon_is_reported_before_any_connection_attempt()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var host = HostProcess.Run(Flags(NeverCreated, port, "--load", "web,queue_job"),
            new Dictionary<string, string> { ["ODOO_QUEUE_JOB_CHANNELS"] = "root:2,sub:many" });

        var exitCode = await host.ExitCodeAsync(60);

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(host.Log, Has.One.Contains("[queue_job] channels: entry 'sub:many': invalid capacity 'many', expected a whole number."));
        Assert.That(listener.Pending(), Is.False, "no connection was attempted");
    }

    [Test]
    public async Task An_unknown_option_of_an_addon_command_is_refused_naming_the_nearest_before_any_connection_attempt()
    {
        // Issue 11, item 2: this stored a job of priority 10 once connected, the flag silently ignored.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var host = HostProcess.Run(["queue", "enqueue", "--model", "test.queue.job", "--method", "AppendNoteAsync", "--prioritty", "1", .. Flags(NeverCreated, port)]);

        var exitCode = await host.ExitCodeAsync(60);

        Assert.That(exitCode, Is.EqualTo(2));
        Assert.That(host.Log, Does.Contain("host queue enqueue: unknown option '--prioritty' (did you mean '--priority'?)"));
        Assert.That(listener.Pending(), Is.False, "no connection was attempted");
    }

    [TestCase(new string[0], "host [command] [options]")]
    [TestCase(new[] { "queue" }, "host queue [command] [options]")]
    [TestCase(new[] { "queue", "enqueue" }, "host queue enqueue [options]")]
    public async Task Help_of_the_host_and_of_its_commands_needs_no_database(string[] command, string usage)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var host = HostProcess.Run([.. command, "--help", .. Flags(NeverCreated, port)]);

        var exitCode = await host.ExitCodeAsync(60);

        Assert.That(exitCode, Is.EqualTo(0));
        Assert.That(host.Log, Has.Some.Contains(usage));
        Assert.That(listener.Pending(), Is.False, "no connection was attempted");
    }

    [Test]
    public async Task An_addon_command_where_its_addon_is_not_installed_says_which_addon_to_install()
    {
        await using var server = new TcpForwarder();
        server.Start();
        await using var database = new TestDatabase();
        await database.CreateAsync();
        await using var command = HostProcess.Run(["queue", "list", .. Flags(database.Name, server.Port)]);

        var exitCode = await command.ExitCodeAsync(120);

        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(command.Log, Has.One.Contains($"host queue list: addon 'queue_job' declares this command but is not installed in database '{database.Name}'; install it with -i queue_job"));
    }

    [Test]
    public async Task An_addon_command_does_not_wait_for_the_server_by_default()
    {
        var port = TestDatabase.FreePort();
        await using var command = HostProcess.Run(["queue", "list", .. Flags(NeverCreated, port)]);

        // Well short of the 30 s a start that serves would wait.
        var exitCode = await command.ExitCodeAsync(25);

        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(Lines(command.Log, $"PostgreSQL at 127.0.0.1:{port} is not reachable (",
            "); the host did not wait for it, as --db-wait is 0 (give --db-wait SECONDS to wait)."), Is.EqualTo(1));
        Assert.That(command.Log, Has.None.Contains("waiting up to"));
    }

    [Test]
    public async Task An_addon_command_given_a_db_wait_waits()
    {
        var port = TestDatabase.FreePort();
        await using var command = HostProcess.Run(["queue", "list", .. Flags(NeverCreated, port, "--db-wait", "1")]);

        var exitCode = await command.ExitCodeAsync(120);

        Assert.That(exitCode, Is.EqualTo(1));
        Assert.That(command.Log, Has.One.Contains("waiting up to 1 s (--db-wait)"));
        Assert.That(command.Log, Has.One.Contains("gave up after waiting 1 s (--db-wait)."));
    }

    /// <summary>Flags of a host on <paramref name="database"/> of the server at 127.0.0.1:<paramref name="port"/>, as the test server's user.</summary>
    private static List<string> Flags(string database, int port, params string[] more)
    {
        var server = new NpgsqlConnectionStringBuilder(TestPostgres.ConnectionString);
        List<string> flags = ["--addons-path", RepoPaths.Addons, "-d", database, "--db-host", "127.0.0.1", "--db-port", port.ToString(CultureInfo.InvariantCulture)];
        if (server.Username is { } user)
        {
            flags.AddRange(["--db-user", user]);
        }

        if (server.Password is { } password)
        {
            flags.AddRange(["--db-password", password]);
        }

        flags.AddRange(more);
        return flags;
    }

    /// <summary>How many lines contain both parts.</summary>
    private static int Lines(IReadOnlyList<string> log, string part, string otherPart) =>
        log.Count(l => l.Contains(part, StringComparison.Ordinal) && l.Contains(otherPart, StringComparison.Ordinal));

    /// <summary>When a log line was written: its first 23 characters, <c>2026-11-27 21:43:51,035</c>.</summary>
    private static DateTime At(string line) => DateTime.ParseExact(line[..23], "yyyy-MM-dd HH:mm:ss,fff", CultureInfo.InvariantCulture);
}
