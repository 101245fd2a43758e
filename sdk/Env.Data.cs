using System.Data.Common;
using LinqToDB;
using LinqToDB.Data;
using LinqToDB.DataProvider;
using LinqToDB.DataProvider.PostgreSQL;
using LinqToDB.Interceptors;
using Npgsql;

namespace PluginHost.Sdk;

/// <summary>Typed data through linq2db, on the environment's own connection and transaction.</summary>
public sealed partial class Env
{
    /// <summary>linq2db's PostgreSQL provider, shared by every environment.</summary>
    internal static readonly IDataProvider Provider = PostgreSQLTools.GetDataProvider(PostgreSQLVersion.v15);

    /// <summary>
    /// The linq2db data context of this transaction, created on first use: what it reads sees the environment's
    /// uncommitted writes, and what it writes commits or rolls back with the environment. Its commands are cancelled
    /// with <see cref="CancellationToken"/> like any other of the environment.
    /// </summary>
    /// <example>
    /// <code>
    /// await env.Data.InsertAsync(new ShopOrderRow { Name = "SO1", State = "draft" });
    /// </code>
    /// </example>
    public IDataContext Data => _use.Data ??= Open(_transaction, _use);

    /// <summary>
    /// The rows of <typeparamref name="TRow"/>'s table (mapped with linq2db attributes), to query, update or delete
    /// with LINQ; values stay parameters.
    /// </summary>
    /// <example>
    /// <code>
    /// using LinqToDB.Async; // linq2db's ToListAsync: without it, .NET 10's System.Linq.AsyncEnumerable is chosen and this does not compile
    ///
    /// var drafts = await env.Query&lt;ShopOrderRow&gt;().Where(o =&gt; o.State == "draft").ToListAsync(env.CancellationToken);
    /// </code>
    /// </example>
    public ITable<TRow> Query<TRow>() where TRow : class => Data.GetTable<TRow>();

    private static DataConnection Open(NpgsqlTransaction transaction, TransactionUse use) =>
        new(new DataOptions().UseTransaction(Provider, transaction).UseMappingSchema(RowMapping.Schema).UseInterceptor(new CommandTracker(use)));

    /// <summary>Counts linq2db's commands as uses of the transaction and makes each the one a cancellation stops.</summary>
    private sealed class CommandTracker(TransactionUse use) : CommandInterceptor
    {
        public override DbCommand CommandInitialized(CommandEventData eventData, DbCommand command)
        {
            use.LatestCommand = (NpgsqlCommand)command;
            use.Count++;
            return command;
        }
    }
}
