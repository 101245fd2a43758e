using Microsoft.Extensions.Logging;
using Npgsql;
using PluginHost.Host.Configuration;

namespace PluginHost.Host.Hosting;

/// <summary>The connection pools of a served database: the one everything uses, and the job executors' own.</summary>
internal static class DatabaseSources
{
    /// <summary>The pool everything but the executors uses: each connection's session is reset when it goes back.</summary>
    public static NpgsqlDataSource Shared(ServerOptions options, string database, ILoggerFactory loggerFactory) =>
        new NpgsqlDataSourceBuilder(options.ConnectionString(database)).UseLoggerFactory(loggerFactory).Build();

    /// <summary>
    /// The pool of queue_job's executors (<c>Database.BeginJobAsync</c>): sessions are not reset when they go back, but
    /// by the environment, when a job's method used its session; a batch of jobs that did not costs PostgreSQL no reset.
    /// </summary>
    public static NpgsqlDataSource JobSessions(ServerOptions options, string database, ILoggerFactory loggerFactory) =>
        new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(options.ConnectionString(database)) { NoResetOnClose = true }.ConnectionString)
            .UseLoggerFactory(loggerFactory).Build();
}
