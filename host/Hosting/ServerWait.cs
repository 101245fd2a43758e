using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;
using PluginHost.Host.Configuration;
using PluginHost.Sdk;

namespace PluginHost.Host.Hosting;

/// <summary>
/// The first connection of a start, which waits for PostgreSQL while it is down, unreachable or still starting up,
/// up to <see cref="ServerOptions.DbWaitSeconds"/> (<c>--db-wait</c>): one warning when the wait begins, a try every
/// <see cref="RetryInterval"/>, then a <see cref="HostStartException"/> naming the server and the option. A server that
/// answers with a refusal (a wrong password, a missing database) is not waited for: that is no outage.
/// </summary>
internal static class ServerWait
{
    /// <summary>Pause between two tries.</summary>
    private static readonly TimeSpan RetryInterval = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Opens a connection to <paramref name="database"/>, waiting for the server as configured. It is not pooled: it is
    /// used once, and a pool of it would keep an idle session open on the server for as long as the process lives.
    /// </summary>
    public static async Task<NpgsqlConnection> OpenAsync(ServerOptions options, string database, ILogger logger)
    {
        var waited = Stopwatch.StartNew();
        var limit = TimeSpan.FromSeconds(options.DbWaitSeconds);
        for (var tries = 1; ; tries++)
        {
            try
            {
                var connection = await TryOpenAsync(new NpgsqlConnectionStringBuilder(options.ConnectionString(database)) { Pooling = false }.ConnectionString);
                if (tries > 1)
                {
                    logger.LogInformation("PostgreSQL at {Host}:{Port} is reachable after {Seconds:0} s", options.DbHost, options.DbPort, waited.Elapsed.TotalSeconds);
                }

                return connection;
            }
            catch (NpgsqlException e) when (IsOutage(e))
            {
                var remaining = limit - waited.Elapsed;
                if (remaining <= TimeSpan.Zero)
                {
                    throw GaveUp(options, e);
                }

                if (tries == 1)
                {
                    logger.LogWarning("PostgreSQL at {Host}:{Port} is not reachable ({Reason}); waiting up to {Seconds} s (--db-wait)",
                        options.DbHost, options.DbPort, Reason(e), options.DbWaitSeconds);
                }
                else
                {
                    logger.LogDebug("PostgreSQL at {Host}:{Port} is still not reachable ({Reason})", options.DbHost, options.DbPort, Reason(e));
                }

                // The last try is at the limit, so a wait of N seconds gives the server N seconds.
                await Task.Delay(remaining < RetryInterval ? remaining : RetryInterval);
            }
        }
    }

    /// <summary>
    /// The server did not answer (refused, unreachable, timed out: a network error) or said it cannot take connections
    /// yet (<c>57P03</c>: starting up, shutting down, in recovery).
    /// </summary>
    private static bool IsOutage(NpgsqlException error) => error is PostgresException postgres
        ? postgres.SqlState == PostgresErrorCodes.CannotConnectNow
        : error.IsTransient;

    private static async Task<NpgsqlConnection> TryOpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(connectionString);
        try
        {
            await connection.OpenAsync();
            return connection;
        }
        catch (Exception)
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private static HostStartException GaveUp(ServerOptions options, NpgsqlException error) => new(options.DbWaitSeconds == 0
        ? $"PostgreSQL at {options.DbHost}:{options.DbPort} is not reachable ({Reason(error)}); the host did not wait for it, as --db-wait is 0 (give --db-wait SECONDS to wait)."
        : $"PostgreSQL at {options.DbHost}:{options.DbPort} is not reachable ({Reason(error)}); gave up after waiting {options.DbWaitSeconds} s (--db-wait).",
        error);

    /// <summary>What the server said, or why it could not be reached (<c>Connection refused</c>), without the driver's wrapping.</summary>
    private static string Reason(NpgsqlException error) => error is PostgresException postgres ? postgres.MessageText : error.GetBaseException().Message;
}
