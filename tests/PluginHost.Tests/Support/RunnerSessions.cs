using PluginHost.Addons.QueueJob.Internal;

namespace PluginHost.Tests.Support;

/// <summary>Which node is a database's active job runner, as seen from PostgreSQL.</summary>
internal static class RunnerSessions
{
    /// <summary>
    /// The node whose runner session holds advisory locks, from the session's application name (one row even when the
    /// session holds both the runner's lock and its sleep lock).
    /// </summary>
    public const string ActiveNode = $"""
        SELECT DISTINCT n.id FROM pg_locks l
        JOIN pg_stat_activity a ON a.pid = l.pid
        JOIN queue_job_node n ON left('{JobRunner.ApplicationName}' || n.id, 63) = a.application_name
        WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database()
        """;

    /// <summary>The node named by the runner's lease.</summary>
    public const string LeaseNode = "SELECT node FROM queue_job_runner_lease";
}
