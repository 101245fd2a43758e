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

    internal Database(string name, NpgsqlDataSource dataSource, ModelRegistry registry, IServiceProvider services)
    {
        Name = name;
        _dataSource = dataSource;
        Registry = registry;
        Services = services;
    }

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
    /// Opens a connection and begins a transaction acting as <paramref name="uid"/>; <paramref name="cancellationToken"/>
    /// becomes the environment's <see cref="Env.CancellationToken"/>.
    /// </summary>
    public async Task<Env> BeginAsync(long uid = Env.SuperuserId, IReadOnlyDictionary<string, object?>? context = null,
        CancellationToken cancellationToken = default)
    {
        var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            var values = context?.ToImmutableDictionary() ?? ImmutableDictionary<string, object?>.Empty;
            return new Env(this, connection, transaction, uid, values, cancellationToken);
        }
        catch (Exception)
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
