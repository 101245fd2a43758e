using System.Data;
using System.Collections.Concurrent;
using System.Reflection;

namespace PluginHost.Sdk;

/// <summary>The models of one host: model name to most derived class, and the columns of their tables.</summary>
public sealed class ModelRegistry
{
    private readonly Dictionary<string, ModelInfo> _byName;
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, string>> _columns = new(StringComparer.Ordinal);

    internal ModelRegistry(IEnumerable<ModelInfo> models)
    {
        _byName = models.ToDictionary(m => m.Name, StringComparer.Ordinal);
    }

    /// <summary>Every registered model.</summary>
    public IEnumerable<ModelInfo> Models => _byName.Values;

    /// <summary>True when a model of that name is registered.</summary>
    public bool Contains(string modelName) => _byName.ContainsKey(modelName);

    /// <summary>The model registered under <paramref name="modelName"/>.</summary>
    /// <exception cref="KeyNotFoundException">No addon registers that model.</exception>
    public ModelInfo this[string modelName] =>
        _byName.TryGetValue(modelName, out var info)
            ? info
            : throw new KeyNotFoundException($"Unknown model '{modelName}'. Known models: {string.Join(", ", _byName.Keys.Order())}.");

    /// <summary>The model that a class (or a base class of the registered one) implements.</summary>
    public ModelInfo For(Type type)
    {
        var attribute = type.GetCustomAttribute<ModelAttribute>(inherit: true)
            ?? throw new ArgumentException($"{type.FullName} has no [Model] attribute.", nameof(type));
        return this[attribute.Name];
    }

    /// <summary>Forgets the cached table columns; the host calls it after applying schema migrations.</summary>
    internal void ForgetColumns() => _columns.Clear();

    internal Model Instantiate(string modelName, Env env, IReadOnlyList<long> ids)
    {
        var info = this[modelName];
        var model = (Model)Activator.CreateInstance(info.Type)!;
        model.Bind(env, info, ids);
        return model;
    }

    internal async Task<IReadOnlyDictionary<string, string>> ColumnsAsync(Env env, ModelInfo model)
    {
        if (_columns.TryGetValue(model.Table, out var cached))
        {
            return cached;
        }

        var columns = new Dictionary<string, string>(StringComparer.Ordinal);
        await using var command = env.CreateCommand(
            "SELECT column_name, format_type(a.atttypid, a.atttypmod) AS type FROM information_schema.columns c " +
            "JOIN pg_attribute a ON a.attrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass AND a.attname = c.column_name " +
            "WHERE c.table_schema = current_schema() AND c.table_name = $1 ORDER BY c.ordinal_position", model.Table);
        await using (var reader = await command.ExecuteReaderAsync(env.CancellationToken))
        {
            while (await reader.ReadAsync())
            {
                columns[reader.GetString("column_name")] = reader.GetString("type");
            }
        }

        if (columns.Count == 0)
        {
            throw new InvalidOperationException($"Model '{model.Name}' has no table '{model.Table}': is its addon installed?");
        }

        _columns[model.Table] = columns;
        return columns;
    }
}
