using System.Linq.Expressions;
using LinqToDB;
using LinqToDB.Async;

namespace PluginHost.Sdk;

/// <summary>
/// A model whose table is mapped by the row type <typeparamref name="TRow"/>: its records are searched, read, created
/// and updated with LINQ, in the environment's transaction. The row type maps the model's table; registering a model
/// whose row type maps another table is an error naming both.
/// </summary>
/// <example>
/// <code>
/// using LinqToDB;       // Set, UpdateAsync
/// using LinqToDB.Async; // ToListAsync, FirstOrDefaultAsync...: without it, .NET 10's System.Linq.AsyncEnumerable is chosen
///
/// [Model("shop.order")]
/// public class ShopOrder : Model&lt;ShopOrderRow&gt;
/// {
///     public Task&lt;int&gt; ConfirmAsync() =&gt; Rows.Set(o =&gt; o.State, "confirmed").UpdateAsync(Env.CancellationToken);
/// }
///
/// var drafts = (ShopOrder)await env.Model&lt;ShopOrder&gt;().SearchAsync(o =&gt; o.State == "draft");
/// </code>
/// </example>
public abstract class Model<TRow> : Model where TRow : class, IModelRow
{
    /// <summary>The rows of the records of this set, to read, update or delete with LINQ.</summary>
    public IQueryable<TRow> Rows
    {
        get
        {
            var ids = Ids.ToArray();
            return Env.Query<TRow>().Where(row => ids.Contains(row.Id));
        }
    }

    /// <summary>The records whose row matches <paramref name="filter"/>, ordered by id, as a recordset of this model.</summary>
    public async Task<Model<TRow>> SearchAsync(Expression<Func<TRow, bool>> filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var ids = await Env.Query<TRow>().Where(filter).OrderBy(row => row.Id).Select(row => row.Id).ToListAsync(Env.CancellationToken);
        return (Model<TRow>)BrowseIds(ids);
    }

    /// <summary>The rows of the records, in <see cref="Model.Ids"/> order (records that no longer exist left out).</summary>
    public async Task<IReadOnlyList<TRow>> ReadRowsAsync()
    {
        var rows = (await Rows.ToListAsync(Env.CancellationToken)).ToDictionary(row => row.Id);
        return Ids.Where(rows.ContainsKey).Select(id => rows[id]).ToList();
    }

    /// <summary>Inserts <paramref name="row"/> (its id left to the table's identity) and returns the new record.</summary>
    public async Task<Model<TRow>> CreateAsync(TRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var id = await Env.Data.InsertWithInt64IdentityAsync(row, token: Env.CancellationToken);
        return (Model<TRow>)BrowseIds([id]);
    }
}
