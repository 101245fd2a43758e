namespace PluginHost.Testing.Internal;

/// <summary>The maintenance statements of template and test databases; names are quoted by <see cref="TestServerConnection.Quoted"/>.</summary>
internal static class TemplateStatements
{
    public const string Exists = """
        SELECT 1
        FROM pg_database
        WHERE datname = $1
        """;

    /// <summary>Waits for the exclusive lock of one set of addons ($1 the class, $2 the set), to build and drop its templates; held until the session ends.</summary>
    public const string LockSet = "SELECT pg_advisory_lock($1, $2)";

    /// <summary>Waits for the shared lock of one set of addons ($1 the class, $2 the set), to clone its template.</summary>
    public const string LockSetShared = "SELECT pg_advisory_lock_shared($1, $2)";

    /// <summary>Releases the shared lock of <see cref="LockSetShared"/>.</summary>
    public const string UnlockSetShared = "SELECT pg_advisory_unlock_shared($1, $2)";

    /// <summary>Ends the sessions still open on database $1, so it can be renamed.</summary>
    public const string EndSessions = """
        SELECT pg_terminate_backend(pid)
        FROM pg_stat_activity
        WHERE datname = $1
          AND pid <> pg_backend_pid()
        """;

    /// <summary>The other databases of one set of addons ($1 the prefix, $2 the current template): stale templates and abandoned builds.</summary>
    public const string Stale = """
        SELECT datname
        FROM pg_database
        WHERE starts_with(datname, $1)
          AND datname <> $2
        """;

    public static string Clone(string template, string database) =>
        $"CREATE DATABASE {TestServerConnection.Quoted(database)} TEMPLATE {TestServerConnection.Quoted(template)}";

    public static string Rename(string from, string to) =>
        $"ALTER DATABASE {TestServerConnection.Quoted(from)} RENAME TO {TestServerConnection.Quoted(to)}";

    public static string Drop(string database) =>
        $"DROP DATABASE IF EXISTS {TestServerConnection.Quoted(database)} WITH (FORCE)";
}
