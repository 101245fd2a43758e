using Npgsql;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Which node runs a database's job runner: the holder of upstream's session advisory lock (so an Odoo runner and
/// ours never both run), with a lease it renews from its own loop. A standby that finds the lease older than the node
/// timeout (a runner paused, cut off, or stuck) terminates the session holding the lock, when that session is the
/// lease's, and takes the lock; a holder without a lease row (an Odoo runner) is never terminated. The lease says since
/// when its runner leads (<c>taken</c>); its configuration is its node's heartbeat row (<see cref="NodeHeartbeat"/>). Terminating
/// another session needs the same database role, or membership of <c>pg_signal_backend</c>.
/// </summary>
internal static class RunnerLeadership
{
    /// <summary>The advisory lock key upstream's runner uses.</summary>
    public const long LockKey = 2293787760715711918;

    private const string TryLock = "SELECT pg_try_advisory_lock($1)";

    private const string TakeLease = """
        INSERT INTO queue_job_runner_lease (id, node, backend_pid, renewed, taken)
        VALUES (1, $1, pg_backend_pid(), now(), now())
        ON CONFLICT (id) DO UPDATE
        SET node = excluded.node, backend_pid = excluded.backend_pid, renewed = excluded.renewed, taken = excluded.taken
        """;

    /// <summary>Renews the lease of this session (the active runner's); run with the runner's periodic work.</summary>
    public const string RenewLease = """
        UPDATE queue_job_runner_lease
        SET renewed = now()
        WHERE backend_pid = pg_backend_pid()
        RETURNING 1
        """;

    /// <summary>Terminates the session holding lock $1 when it holds a lease older than $2 seconds; true when one was.</summary>
    private const string TerminateStaleHolder = """
        SELECT coalesce(bool_or(pg_terminate_backend(l.pid, 5000)), false)
        FROM pg_locks l
        JOIN queue_job_runner_lease r ON r.backend_pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
          AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
          AND ((l.classid::bigint << 32) | l.objid::bigint) = $1
          AND r.renewed < clock_timestamp() - make_interval(secs => $2)
        """;

    /// <summary>
    /// Takes the lead on <paramref name="connection"/> (lock and lease), first terminating a holder whose lease is older
    /// than <paramref name="staleAfter"/>; false when another runner is active.
    /// </summary>
    public static async Task<bool> TryLeadAsync(NpgsqlConnection connection, string node, TimeSpan staleAfter, CancellationToken cancellationToken)
    {
        if (!await JobRunner.ScalarAsync<bool>(connection, TryLock, cancellationToken, LockKey)
            && !(await JobRunner.ScalarAsync<bool>(connection, TerminateStaleHolder, cancellationToken, LockKey, staleAfter.TotalSeconds)
                 && await JobRunner.ScalarAsync<bool>(connection, TryLock, cancellationToken, LockKey)))
        {
            return false;
        }

        await JobRunner.ScalarAsync<object>(connection, TakeLease, cancellationToken, node);
        return true;
    }
}
