using System.Collections.Immutable;
using System.Data.Common;
using LinqToDB;
using LinqToDB.Data;
using Npgsql;

namespace PluginHost.Sdk;

/// <summary>
/// One PostgreSQL database served by the host, with the models loaded for it. Opens environments:
/// a pooled connection and a fresh transaction each.
/// </summary>
public sealed class Database
{
    private readonly NpgsqlDataSource _dataSource;

    /// <summary>A database on <c>dataSource</c>; <c>jobSessions</c>, if given, is a pool of the same database that does not reset sessions (<see cref="BeginJobAsync"/>).</summary>
    internal Database(string name, NpgsqlDataSource dataSource, ModelRegistry registry, IServiceProvider services, NpgsqlDataSource? jobSessions = null)
    {
        Name = name;
        _dataSource = dataSource;
        JobSessions = jobSessions;
        Registry = registry;
        Services = services;
    }

    /// <summary>The pool <see cref="BeginJobAsync"/> takes connections from, when the host gave one (it disposes it).</summary>
    internal NpgsqlDataSource? JobSessions { get; }

    /// <summary>The database name.</summary>
    public string Name { get; }

    /// <summary>The connection pool of this database (Npgsql's, see <see cref="Advanced.NpgsqlAccess"/>).</summary>
    public DbDataSource DataSource => _dataSource;

    /// <summary>The models known to the host.</summary>
    public ModelRegistry Registry { get; }

    /// <summary>The host's services, for model code that needs them.</summary>
    public IServiceProvider Services { get; }

    /// <summary>
    /// A linq2db context outside any transaction, for services that have no environment: it takes a pooled connection
    /// when a statement runs and gives it back when disposed; each statement commits by itself.
    /// </summary>
    public IDataContext CreateDataContext() =>
        new DataConnection(new DataOptions().UseConnectionFactory(Env.Provider, _ => _dataSource.CreateConnection()).UseMappingSchema(RowMapping.Schema));

    /// <summary>
    /// A command with positional parameters (<c>$1</c>, …) run outside any transaction, on a pooled connection taken
    /// for the time it runs (until its reader is closed): each statement commits by itself.
    /// </summary>
    public DbCommand CreateCommand(string sql, params object?[] parameters) =>
        PositionalParameters.Bind(_dataSource.CreateCommand(sql), parameters);

    /// <summary>
    /// <see cref="CreateCommand"/> on <see cref="JobSessions"/>, for queue_job's claims: one autocommitted statement
    /// leaves the session as it found it, so its connection goes back without the seven-statement reset.
    /// </summary>
    internal DbCommand CreateJobCommand(string sql, params object?[] parameters) =>
        PositionalParameters.Bind((JobSessions ?? _dataSource).CreateCommand(sql), parameters);

    /// <summary>
    /// Opens a connection and begins a transaction acting as <paramref name="uid"/>; <paramref name="cancellationToken"/>
    /// becomes the environment's <see cref="Env.CancellationToken"/>.
    /// </summary>
    public Task<Env> BeginAsync(long uid = Env.SuperuserId, IReadOnlyDictionary<string, object?>? context = null,
        CancellationToken cancellationToken = default) => BeginOnAsync(_dataSource, keepsSession: false, uid, context, cancellationToken);

    /// <summary>
    /// <see cref="BeginAsync"/> for queue_job's executor, on <see cref="JobSessions"/>: a connection whose session
    /// no job's method used since it was last reset goes back to the pool as it is (a reset is seven statements and a
    /// transaction for PostgreSQL), and one whose session a job used (<see cref="Env.SessionUsed"/>) is reset at dispose.
    /// </summary>
    internal Task<Env> BeginJobAsync(long uid, IReadOnlyDictionary<string, object?>? context, CancellationToken cancellationToken) =>
        BeginOnAsync(JobSessions ?? _dataSource, keepsSession: JobSessions is not null, uid, context, cancellationToken);

    private async Task<Env> BeginOnAsync(NpgsqlDataSource source, bool keepsSession, long uid, IReadOnlyDictionary<string, object?>? context,
        CancellationToken cancellationToken)
    {
        var connection = await source.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var values = context?.ToImmutableDictionary() ?? ImmutableDictionary<string, object?>.Empty;
            return new Env(this, connection, transaction, uid, values, cancellationToken, keepsSession);
        }
        catch (Exception)
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
