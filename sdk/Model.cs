using System.Text;

namespace PluginHost.Sdk;

/// <summary>
/// A recordset: ids of one model bound to an environment. Subclass it with <see cref="ModelAttribute"/> to
/// define a model; its public methods act on the records in <see cref="Ids"/>.
/// </summary>
/// <example>
/// <code>
/// [Model("demo.order")]
/// public class DemoOrder : Model
/// {
///     public Task ConfirmAsync() =&gt; WriteAsync(new Dictionary&lt;string, object?&gt; { ["state"] = "confirmed" });
/// }
/// </code>
/// </example>
public abstract class Model
{
    /// <summary>The environment the records are bound to.</summary>
    public Env Env { get; private set; } = null!;

    /// <summary>The registered model: name, table, class.</summary>
    public ModelInfo Info { get; private set; } = null!;

    /// <summary>The record ids, in order.</summary>
    public IReadOnlyList<long> Ids { get; private set; } = [];

    /// <summary>The id of a recordset holding exactly one record.</summary>
    /// <exception cref="InvalidOperationException">The recordset holds zero or several records.</exception>
    public long Id => Ids.Count == 1 ? Ids[0] : throw new InvalidOperationException($"Expected a single record, got {this}.");

    internal void Bind(Env env, ModelInfo info, IReadOnlyList<long> ids)
    {
        Env = env;
        Info = info;
        Ids = ids;
    }

    /// <summary>The records of this model with the given ids, in the same environment.</summary>
    public Model BrowseIds(IEnumerable<long> ids) => Env.Registry.Instantiate(Info.Name, Env, ids.ToArray());

    /// <summary>The same records in another environment (another user, context or transaction).</summary>
    public Model WithEnv(Env env) => env.Registry.Instantiate(Info.Name, env, Ids);

    /// <summary>Inserts one record and returns its id. Unknown field names are an error naming the field.</summary>
    public virtual async Task<long> CreateAsync(IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var columns = await CheckedColumnsAsync(values.Keys);
        var sql = new StringBuilder($"INSERT INTO {Quote(Info.Table)} (");
        sql.AppendJoin(", ", values.Keys.Select(Quote));
        sql.Append(values.Count == 0 ? ") DEFAULT VALUES" : ") VALUES (");
        if (values.Count > 0)
        {
            sql.AppendJoin(", ", values.Keys.Select((key, i) => $"${i + 1}::{columns[key]}"));
            sql.Append(')');
        }

        sql.Append(" RETURNING id");
        return (await Env.ScalarAsync<long>(sql.ToString(), values.Values.ToArray()))!;
    }

    /// <summary>Updates every record of the set with the same values.</summary>
    public virtual async Task WriteAsync(IReadOnlyDictionary<string, object?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0 || Ids.Count == 0)
        {
            return;
        }

        var columns = await CheckedColumnsAsync(values.Keys);
        var assignments = values.Keys.Select((key, i) => $"{Quote(key)} = ${i + 1}::{columns[key]}");
        var sql = $"UPDATE {Quote(Info.Table)} SET {string.Join(", ", assignments)} WHERE id = ANY(${values.Count + 1})";
        await Env.ExecuteAsync(sql, [.. values.Values, Ids.ToArray()]);
    }

    /// <summary>Deletes the records.</summary>
    public virtual async Task UnlinkAsync()
    {
        if (Ids.Count > 0)
        {
            await Env.ExecuteAsync($"DELETE FROM {Quote(Info.Table)} WHERE id = ANY($1)", Ids.ToArray());
        }
    }

    /// <summary>The records matching an SQL condition with positional parameters, ordered by id.</summary>
    public async Task<Model> SearchAsync(string condition = "TRUE", params object?[] parameters)
    {
        var ids = new List<long>();
        await using var command = Env.CreateCommand($"SELECT id FROM {Quote(Info.Table)} WHERE {condition} ORDER BY id", parameters);
        await using var reader = await command.ExecuteReaderAsync(Env.CancellationToken);
        while (await reader.ReadAsync(Env.CancellationToken))
        {
            ids.Add(reader.GetInt64(0));
        }

        return BrowseIds(ids);
    }

    /// <summary>Reads columns of the records, one dictionary per record in <see cref="Ids"/> order.</summary>
    public async Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>> ReadAsync(params string[] fields)
    {
        var columns = fields.Length == 0 ? (await Env.Registry.ColumnsAsync(Env, Info)).Keys.ToArray() : fields;
        await CheckedColumnsAsync(columns);
        var sql = $"SELECT id, {string.Join(", ", columns.Select(Quote))} FROM {Quote(Info.Table)} WHERE id = ANY($1)";
        var rows = new Dictionary<long, IReadOnlyDictionary<string, object?>>();
        await using (var command = Env.CreateCommand(sql, Ids.ToArray()))
        await using (var reader = await command.ExecuteReaderAsync(Env.CancellationToken))
        {
            while (await reader.ReadAsync(Env.CancellationToken))
            {
                var row = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var i = 0; i < columns.Length; i++)
                {
                    row[columns[i]] = reader.IsDBNull(i + 1) ? null : reader.GetValue(i + 1);
                }

                rows[reader.GetInt64(0)] = row;
            }
        }

        return Ids.Where(rows.ContainsKey).Select(id => rows[id]).ToList();
    }

    /// <summary>
    /// When a data file declares a record that several addons may declare too (a channel, a job function),
    /// the id of the existing record to share instead of inserting a duplicate; null to insert.
    /// </summary>
    public virtual Task<long?> FindMergeTargetAsync(IReadOnlyDictionary<string, object?> values) => Task.FromResult<long?>(null);

    /// <summary>Odoo's representation: <c>demo.order(1, 2)</c>.</summary>
    public override string ToString() => $"{Info?.Name}({string.Join(", ", Ids)}{(Ids.Count == 1 ? "," : "")})";

    private async Task<IReadOnlyDictionary<string, string>> CheckedColumnsAsync(IEnumerable<string> fields)
    {
        var columns = await Env.Registry.ColumnsAsync(Env, Info);
        foreach (var field in fields)
        {
            if (!columns.ContainsKey(field))
            {
                throw new ArgumentException(
                    $"Model '{Info.Name}' has no field '{field}'. Expected one of: {string.Join(", ", columns.Keys.Order())}.", nameof(fields));
            }
        }

        return columns;
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";
}
