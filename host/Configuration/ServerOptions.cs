using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace PluginHost.Host.Configuration;

/// <summary>
/// The <c>[options]</c> section, typed and validated at start-up: an invalid value is an error naming the
/// option, its flag and the expected value.
/// </summary>
public sealed record ServerOptions
{
    /// <summary>Database used when none is named.</summary>
    public const string DefaultDatabase = "pluginhost";

    /// <summary>Port of the web addon when none is given, as Odoo's.</summary>
    public const int DefaultHttpPort = 8069;

    /// <summary>Jobs run at once by one node when <c>--workers</c> is not given.</summary>
    public const int DefaultWorkers = 2;

    /// <summary>The <c>[options]</c> keys PluginHost reads; the flags set the same keys.</summary>
    public static readonly IReadOnlyList<string> Keys =
    [
        "addons_path", "db_name", "dbfilter", "db_host", "db_port", "db_user", "db_password", "server_wide_modules", "init", "update",
        "uninstall", "stop_after_init", "http_port", "http_interface", "workers", "shutdown_timeout", "log_level", "db_wait",
    ];

    /// <summary>Folders holding addon folders.</summary>
    public required IReadOnlyList<string> AddonsPath { get; init; }

    /// <summary>Database name.</summary>
    public string Database { get; init; } = DefaultDatabase;

    /// <summary>
    /// Other databases of the server this node also serves jobs of (<c>--db-filter</c>): those whose name
    /// matches from its start, as Odoo's <c>dbfilter</c>; null for none.
    /// </summary>
    public Regex? DbFilter { get; init; }

    /// <summary>PostgreSQL host.</summary>
    public string DbHost { get; init; } = "localhost";

    /// <summary>PostgreSQL port.</summary>
    public int DbPort { get; init; } = 5432;

    /// <summary>PostgreSQL user; null for the OS user.</summary>
    public string? DbUser { get; init; }

    /// <summary>PostgreSQL password.</summary>
    public string? DbPassword { get; init; }

    /// <summary>
    /// How long a start waits for PostgreSQL while it is unreachable or starting up (<c>--db-wait</c>), in seconds;
    /// 0 tries once.
    /// </summary>
    public int DbWaitSeconds { get; init; } = DefaultDbWaitSeconds;

    /// <summary>The wait for PostgreSQL of a start that serves or installs, when <c>--db-wait</c> is not given.</summary>
    public const int DefaultDbWaitSeconds = 30;

    /// <summary>The wait of an addon command (<c>host queue list</c>) when <c>--db-wait</c> is not given: none, so a script learns at once.</summary>
    public const int DefaultCommandDbWaitSeconds = 0;

    /// <summary>Server-wide addons (<c>--load</c>).</summary>
    public IReadOnlyList<string> ServerWideModules { get; init; } = ["web"];

    /// <summary>Addons to install (<c>-i</c>).</summary>
    public IReadOnlyList<string> Init { get; init; } = [];

    /// <summary>Addons to update (<c>-u</c>).</summary>
    public IReadOnlyList<string> Update { get; init; } = [];

    /// <summary>Addons to uninstall (<c>--uninstall</c>).</summary>
    public IReadOnlyList<string> Uninstall { get; init; } = [];

    /// <summary>Exit after applying the module changes.</summary>
    public bool StopAfterInit { get; init; }

    /// <summary>Create the database when it does not exist (not for addon commands, which work on an existing one).</summary>
    public bool CreateDatabase { get; init; } = true;

    /// <summary>HTTP port of the web addon.</summary>
    public int HttpPort { get; init; } = DefaultHttpPort;

    /// <summary>Listening address of the web addon.</summary>
    public string HttpInterface { get; init; } = "127.0.0.1";

    /// <summary>Jobs this node runs at once.</summary>
    public int Workers { get; init; } = DefaultWorkers;

    /// <summary>
    /// This process as a node of the cluster: unique, and carried by each of its database sessions as
    /// <c>application_name</c> (<see cref="ApplicationName"/>), so a node taken for dead can be cut off.
    /// </summary>
    public string NodeId { get; init; } = $"{System.Net.Dns.GetHostName()}-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>The <c>application_name</c> of this node's sessions; PostgreSQL keeps the first 63 bytes.</summary>
    public string ApplicationName => $"pluginhost {NodeId}";

    /// <summary>How long a stop (SIGTERM, Ctrl-C) waits for running jobs and requests before giving up.</summary>
    public int ShutdownTimeoutSeconds { get; init; } = DefaultShutdownTimeoutSeconds;

    /// <summary>Grace period of a stop when none is configured.</summary>
    public const int DefaultShutdownTimeoutSeconds = 30;

    /// <summary>Minimum log level.</summary>
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>Connection string of the served database.</summary>
    public string ConnectionString(string? database = null)
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = DbHost,
            Port = DbPort,
            Database = database ?? Database,
            ApplicationName = ApplicationName,

            // Statements run again and again (the job queue's, and addons' own) are prepared once per connection, and
            // stay prepared when the connection goes back to the pool: planning costs more than running most of them.
            MaxAutoPrepare = 128,
            AutoPrepareMinUsages = 2,

            // Long-lived connections (the job runner's, the executors' wake-up) notice a server or network gone silent.
            TcpKeepAlive = true,
            TcpKeepAliveTime = 30,
            TcpKeepAliveInterval = 5,
        };
        if (DbUser is not null)
        {
            builder.Username = DbUser;
        }

        if (DbPassword is not null)
        {
            builder.Password = DbPassword;
        }

        return builder.ConnectionString;
    }

    /// <summary>
    /// Reads and validates <c>[options]</c>; <see cref="ArgumentException"/> names the option at fault.
    /// <paramref name="defaultDbWaitSeconds"/> is the wait when <c>db_wait</c> is not given (serving and addon commands differ).
    /// </summary>
    public static ServerOptions From(IConfiguration configuration, string defaultAddonsPath, int defaultDbWaitSeconds = DefaultDbWaitSeconds)
    {
        var section = configuration.GetSection("options");
        return new ServerOptions
        {
            AddonsPath = List(section, "addons_path") is { Count: > 0 } paths ? paths.Select(Path.GetFullPath).ToList() : [defaultAddonsPath],
            Database = DatabaseName(section) ?? DefaultDatabase,
            DbFilter = Filter(section),
            DbHost = Text(section, "db_host") ?? "localhost",
            DbPort = Integer(section, "db_port", "--db-port", 1, 65535) ?? 5432,
            DbUser = Text(section, "db_user"),
            DbPassword = Text(section, "db_password"),
            DbWaitSeconds = Integer(section, "db_wait", "--db-wait", 0, 86400) ?? defaultDbWaitSeconds,
            ServerWideModules = List(section, "server_wide_modules") is { Count: > 0 } load ? load : ["web"],
            Init = List(section, "init"),
            Update = List(section, "update"),
            Uninstall = List(section, "uninstall"),
            StopAfterInit = Flag(section, "stop_after_init"),
            HttpPort = Integer(section, "http_port", "--http-port", 1, 65535) ?? DefaultHttpPort,
            HttpInterface = Address(section) ?? "127.0.0.1",
            Workers = Integer(section, "workers", "--workers", 1, 1024) ?? DefaultWorkers,
            ShutdownTimeoutSeconds = Integer(section, "shutdown_timeout", "--shutdown-timeout", 0, 86400) ?? DefaultShutdownTimeoutSeconds,
            LogLevel = Level(section),
        };
    }

    /// <summary><c>db_name</c>, when given: not blank, and within PostgreSQL's 63 bytes (a longer name would be cut).</summary>
    private static string? DatabaseName(IConfigurationSection section)
    {
        if (section["db_name"] is not { } given)
        {
            return null;
        }

        var name = given.Trim();
        if (name.Length == 0)
        {
            throw new ArgumentException("Option 'db_name' (-d): empty; give the name of the database to serve.");
        }

        var bytes = System.Text.Encoding.UTF8.GetByteCount(name);
        return bytes <= 63
            ? name
            : throw new ArgumentException($"Option 'db_name' (-d): '{name}' is {bytes} bytes; PostgreSQL keeps database names to 63 bytes.");
    }

    /// <summary><c>http_interface</c>, when given: an IP address Kestrel can listen on.</summary>
    private static string? Address(IConfigurationSection section) =>
        Text(section, "http_interface") is not { } text || System.Net.IPAddress.TryParse(text, out _)
            ? Text(section, "http_interface")
            : throw new ArgumentException($"Option 'http_interface' (--http-interface): expected an IP address such as 127.0.0.1 or 0.0.0.0, got '{text}'.");

    private static string? Text(IConfigurationSection section, string key) =>
        section[key] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    private static IReadOnlyList<string> List(IConfigurationSection section, string key) =>
        Text(section, key)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

    private static int? Integer(IConfigurationSection section, string key, string flag, int min, int max)
    {
        var text = Text(section, key);
        if (text is null)
        {
            return null;
        }

        return int.TryParse(text, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"Option '{key}' ({flag}): expected an integer from {min} to {max}, got '{text}'.");
    }

    private static Regex? Filter(IConfigurationSection section)
    {
        var text = Text(section, "dbfilter");
        try
        {
            return text is null ? null : new Regex($"^(?:{text})", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Option 'dbfilter' (--db-filter): expected a regular expression, got '{text}': {e.Message}", e);
        }
    }

    private static bool Flag(IConfigurationSection section, string key) => Text(section, key)?.ToLowerInvariant() switch
    {
        null or "false" or "0" or "no" => false,
        "true" or "1" or "yes" => true,
        var other => throw new ArgumentException($"Option '{key}': expected true or false, got '{other}'."),
    };

    private static LogLevel Level(IConfigurationSection section) => Text(section, "log_level")?.ToLowerInvariant() switch
    {
        null or "info" => LogLevel.Information,
        "debug" => LogLevel.Debug,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        var other => throw new ArgumentException($"Option 'log_level' (--log-level): expected debug, info, warn or error, got '{other}'."),
    };
}
