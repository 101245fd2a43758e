using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Npgsql;

namespace PluginHost.Sdk;

/// <summary>
/// An environment, as in Odoo: one open database transaction, the acting user and a read-only context.
/// Recordsets are bound to it; <see cref="CommitAsync"/> makes their writes durable and disposing an
/// uncommitted environment rolls them back.
/// </summary>
/// <example>
/// <code>
/// await using var env = await database.BeginAsync();
/// var orders = env.Model&lt;DemoOrder&gt;();
/// await env.CommitAsync();
/// </code>
/// </example>
public sealed class Env : IAsyncDisposable
{
    /// <summary>The id of the superuser (<c>__system__</c>), who runs installs and maintenance.</summary>
    public const long SuperuserId = 1;

    private readonly bool _ownsConnection;
    private readonly StrongBox<NpgsqlCommand?> _latestCommand;
    private readonly CancellationTokenRegistration _cancellation;

    internal Env(Database database, NpgsqlConnection connection, NpgsqlTransaction transaction, long uid,
        ImmutableDictionary<string, object?> context, CancellationToken cancellationToken)
        : this(database, connection, transaction, uid, context, cancellationToken, new StrongBox<NpgsqlCommand?>(), ownsConnection: true)
    {
        // Commands run one at a time on a connection, so the statement running at cancellation is the latest
        // command's, however it was started; Cancel is a no-op for a command that is not running.
        _cancellation = cancellationToken.Register(() => _latestCommand.Value?.Cancel());
    }

    private Env(Database database, NpgsqlConnection connection, NpgsqlTransaction transaction, long uid,
        ImmutableDictionary<string, object?> context, CancellationToken cancellationToken, StrongBox<NpgsqlCommand?> latestCommand, bool ownsConnection)
    {
        CancellationToken = cancellationToken;
        Database = database;
        Connection = connection;
        Transaction = transaction;
        Uid = uid;
        Context = context;
        _latestCommand = latestCommand;
        _ownsConnection = ownsConnection;
    }

    /// <summary>The database this environment works in.</summary>
    public Database Database { get; }

    /// <summary>The models known to the host.</summary>
    public ModelRegistry Registry => Database.Registry;

    /// <summary>The open connection; use <see cref="CreateCommand"/> so commands join the transaction.</summary>
    public NpgsqlConnection Connection { get; }

    /// <summary>The transaction every recordset of this environment reads and writes in.</summary>
    public NpgsqlTransaction Transaction { get; }

    /// <summary>The acting user (<c>res_users.id</c>).</summary>
    public long Uid { get; }

    /// <summary>Read-only context values (<c>lang</c>, <c>tz</c>, feature flags).</summary>
    public ImmutableDictionary<string, object?> Context { get; }

    /// <summary>
    /// Cancelled when the work of this environment should stop: a job's at its function's timeout, a service's
    /// when the host stops. <see cref="ExecuteAsync"/> and <see cref="ScalarAsync{T}"/> observe it; long work should too.
    /// </summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>An empty recordset of the model named <paramref name="modelName"/>.</summary>
    public Model this[string modelName] => Registry.Instantiate(modelName, this, []);

    /// <summary>An empty recordset of the model implemented by <typeparamref name="T"/> (or a class extending it).</summary>
    public T Model<T>() where T : Model => (T)this[Registry.For(typeof(T)).Name];

    /// <summary>The same transaction acting as another user.</summary>
    public Env WithUser(long uid) => new(Database, Connection, Transaction, uid, Context, CancellationToken, _latestCommand, ownsConnection: false);

    /// <summary>The same transaction with context values added or replaced.</summary>
    public Env WithContext(IEnumerable<KeyValuePair<string, object?>> values) =>
        new(Database, Connection, Transaction, Uid, Context.SetItems(values), CancellationToken, _latestCommand, ownsConnection: false);

    /// <summary>The same transaction with one context value added or replaced.</summary>
    public Env WithContext(string key, object? value) => WithContext([new(key, value)]);

    /// <summary>Runs a statement with positional parameters (<c>$1</c>, <c>$2</c>, ...) and returns the affected row count.</summary>
    public async Task<int> ExecuteAsync(string sql, params object?[] parameters)
    {
        await using var command = CreateCommand(sql, parameters);
        return await command.ExecuteNonQueryAsync(CancellationToken);
    }

    /// <summary>Runs a query with positional parameters and returns the first column of the first row, or default.</summary>
    public async Task<T?> ScalarAsync<T>(string sql, params object?[] parameters)
    {
        await using var command = CreateCommand(sql, parameters);
        var value = await command.ExecuteScalarAsync(CancellationToken);
        return value is null or DBNull ? default : (T)value;
    }

    /// <summary>A command with positional parameters on this environment's transaction, cancelled with <see cref="CancellationToken"/>.</summary>
    public NpgsqlCommand CreateCommand(string sql, params object?[] parameters)
    {
        var command = PositionalParameters.Bind(new NpgsqlCommand(sql, Connection, Transaction), parameters);
        _latestCommand.Value = command;
        return command;
    }

    /// <summary>Commits the transaction, unless <see cref="CancellationToken"/> was cancelled.</summary>
    public Task CommitAsync() => Transaction.CommitAsync(CancellationToken);

    /// <summary>Rolls back what was not committed and returns the connection to the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_ownsConnection)
        {
            return;
        }

        await _cancellation.DisposeAsync();
        await Transaction.DisposeAsync();
        await Connection.DisposeAsync();
    }
}
