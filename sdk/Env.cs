using System.Collections.Immutable;
using System.Data.Common;
using LinqToDB.Data;
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
public sealed partial class Env : IAsyncDisposable
{
    /// <summary>The id of the superuser (<c>__system__</c>), who runs installs and maintenance.</summary>
    public const long SuperuserId = 1;

    private readonly bool _ownsConnection;
    private readonly bool _keepsSession;
    private readonly TransactionUse _use;
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;
    private readonly CancellationTokenRegistration _cancellation;

    /// <summary>
    /// An environment owning its connection. With <c>keepsSession</c>, the connection comes from a pool that does not
    /// reset sessions (<see cref="Database.BeginJobAsync"/>): the session is reset here, at dispose, when
    /// <see cref="SessionUsed"/> says that code other than its owner's used it.
    /// </summary>
    internal Env(Database database, NpgsqlConnection connection, NpgsqlTransaction transaction, long uid,
        ImmutableDictionary<string, object?> context, CancellationToken cancellationToken, bool keepsSession = false)
        : this(database, connection, transaction, uid, context, cancellationToken, new TransactionUse(), ownsConnection: true)
    {
        _keepsSession = keepsSession;

        // Commands run one at a time on a connection, so the statement running at cancellation is the latest
        // command's, however it was started; Cancel is a no-op for a command that is not running.
        _cancellation = cancellationToken.Register(() => _use.LatestCommand?.Cancel());
    }

    private Env(Database database, NpgsqlConnection connection, NpgsqlTransaction transaction, long uid,
        ImmutableDictionary<string, object?> context, CancellationToken cancellationToken, TransactionUse use, bool ownsConnection)
    {
        CancellationToken = cancellationToken;
        Database = database;
        Uid = uid;
        Context = context;
        _connection = connection;
        _transaction = transaction;
        _use = use;
        _ownsConnection = ownsConnection;
    }

    /// <summary>The database this environment works in.</summary>
    public Database Database { get; }

    /// <summary>The models known to the host.</summary>
    public ModelRegistry Registry => Database.Registry;

    /// <summary>
    /// The open connection (Npgsql's, see <see cref="Advanced.NpgsqlAccess"/>); use <see cref="CreateCommand"/> so
    /// commands join the transaction.
    /// </summary>
    public DbConnection Connection
    {
        get
        {
            _use.Count++;
            return _connection;
        }
    }

    /// <summary>The transaction every recordset of this environment reads and writes in.</summary>
    public DbTransaction Transaction
    {
        get
        {
            _use.Count++;
            return _transaction;
        }
    }

    /// <summary>
    /// How many commands were created on this transaction, and how often its connection or transaction was handed
    /// out, by this environment and every other sharing the transaction. Unchanged between two reads, nothing can
    /// have run on the transaction in between (for code that keeps no connection of an earlier use).
    /// </summary>
    public long Uses => _use.Count;

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
    public Env WithUser(long uid) => new(Database, _connection, _transaction, uid, Context, CancellationToken, _use, ownsConnection: false);

    /// <summary>The same transaction with context values added or replaced.</summary>
    public Env WithContext(IEnumerable<KeyValuePair<string, object?>> values) =>
        new(Database, _connection, _transaction, Uid, Context.SetItems(values), CancellationToken, _use, ownsConnection: false);

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
    public DbCommand CreateCommand(string sql, params object?[] parameters)
    {
        var command = PositionalParameters.Bind(new NpgsqlCommand(sql, _connection, _transaction), parameters);
        _use.LatestCommand = command;
        _use.Count++;
        return command;
    }

    /// <summary>
    /// Why the transaction may not be committed now, by this environment or any other sharing it, or null when it
    /// may: set by queue_job while a job runs in it (the executor commits it with the job's <c>done</c>).
    /// </summary>
    internal string? CommitRefusal
    {
        get => _use.CommitRefusal;
        set => _use.CommitRefusal = value;
    }

    /// <summary>
    /// True once code the owner does not control (a job's method) used the transaction, and so may have changed its
    /// session (a setting, a LISTEN, a session lock, a temporary table): set by queue_job around a job's method.
    /// </summary>
    internal bool SessionUsed
    {
        get => _use.SessionUsed;
        set => _use.SessionUsed = value;
    }

    /// <summary>Commits the transaction, unless <see cref="CancellationToken"/> was cancelled.</summary>
    /// <exception cref="InvalidOperationException">
    /// The transaction is a job's, committed by queue_job together with the job's <c>done</c>; a job commits work of
    /// its own in a transaction it opens from <see cref="Database"/>.
    /// </exception>
    public Task CommitAsync() => _use.CommitRefusal is { } refusal
        ? throw new InvalidOperationException(refusal)
        : _transaction.CommitAsync(CancellationToken);

    /// <summary>Rolls back what was not committed and returns the connection to the pool.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_ownsConnection)
        {
            return;
        }

        await _cancellation.DisposeAsync();
        if (_use.Data is { } data)
        {
            await data.DisposeAsync();
        }

        await _transaction.DisposeAsync();
        if (_keepsSession && _use.SessionUsed)
        {
            await ResetSessionAsync();
        }

        await _connection.DisposeAsync();
    }

    /// <summary>
    /// Resets the session as the pool does (its prepared statements kept), before the connection goes back to a pool
    /// that does not; a connection that cannot be reset is never handed out again.
    /// </summary>
    private async Task ResetSessionAsync()
    {
        if (_connection.State != System.Data.ConnectionState.Open)
        {
            return;
        }

        try
        {
            await using var reset = new NpgsqlBatch(_connection);
            foreach (var statement in SessionReset)
            {
                reset.BatchCommands.Add(new NpgsqlBatchCommand(statement));
            }

            await reset.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            NpgsqlConnection.ClearPool(_connection);
        }
    }

    /// <summary>What Npgsql's pool runs to reset a session that has prepared statements (DISCARD ALL but DEALLOCATE).</summary>
    private static readonly string[] SessionReset =
    [
        "SET SESSION AUTHORIZATION DEFAULT", "RESET ALL", "CLOSE ALL", "UNLISTEN *", "SELECT pg_advisory_unlock_all()", "DISCARD SEQUENCES", "DISCARD TEMP",
    ];

    /// <summary>What the environments sharing one transaction know of its use.</summary>
    private sealed class TransactionUse
    {
        /// <summary>The command created last, which is the one running if any.</summary>
        public NpgsqlCommand? LatestCommand { get; set; }

        /// <summary>See <see cref="Uses"/>.</summary>
        public long Count { get; set; }

        /// <summary>The linq2db context of the transaction, once <see cref="Data"/> was asked for.</summary>
        public DataConnection? Data { get; set; }

        /// <summary>See <see cref="CommitRefusal"/>.</summary>
        public string? CommitRefusal { get; set; }

        /// <summary>See <see cref="SessionUsed"/>.</summary>
        public bool SessionUsed { get; set; }
    }
}
