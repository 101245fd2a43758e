using System.Reflection;

namespace PluginHost.Sdk;

/// <summary>
/// Collects model classes from addons in dependency order. Registering a subclass of an already
/// registered model class replaces it, so the most derived class wins.
/// </summary>
public sealed class ModelRegistryBuilder
{
    private readonly Dictionary<string, ModelInfo> _models = new(StringComparer.Ordinal);

    /// <summary>Registers <typeparamref name="T"/> as the implementation of the model named by its <see cref="ModelAttribute"/>.</summary>
    public ModelRegistryBuilder Add<T>() where T : Model, new() => Add(typeof(T));

    /// <summary>Registers <paramref name="type"/>, a <see cref="Model"/> subclass with a public parameterless constructor.</summary>
    public ModelRegistryBuilder Add(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!typeof(Model).IsAssignableFrom(type) || type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null)
        {
            throw new ArgumentException($"{type.FullName} must be a non-abstract Model subclass with a public parameterless constructor.");
        }

        var attribute = type.GetCustomAttribute<ModelAttribute>(inherit: true)
            ?? throw new ArgumentException($"{type.FullName} has no [Model(\"name\")] attribute: add one naming the model it implements.");
        if (_models.TryGetValue(attribute.Name, out var existing) && !type.IsSubclassOf(existing.Type))
        {
            throw new ArgumentException(
                $"Model '{attribute.Name}' is already implemented by {existing.Type.FullName}; {type.FullName} must derive from it to extend it.");
        }

        var table = existing?.Table ?? attribute.Table ?? attribute.Name.Replace('.', '_');
        CheckRowTable(type, attribute.Name, table);
        _models[attribute.Name] = new ModelInfo(attribute.Name, table, type);
        return this;
    }

    /// <summary>The row type of a <see cref="Model{TRow}"/> must map the model's table.</summary>
    private static void CheckRowTable(Type type, string model, string table)
    {
        for (var t = type; t is not null; t = t.BaseType)
        {
            if (t.IsGenericType && t.GetGenericTypeDefinition() == typeof(Model<>))
            {
                var row = t.GetGenericArguments()[0];
                var mapped = RowMapping.Schema.GetEntityDescriptor(row).Name.Name;
                if (mapped != table)
                {
                    throw new ArgumentException(
                        $"{type.FullName} implements model '{model}' (table {table}) with row type {row.FullName}, which maps table {mapped}: give the row type [Table(\"{table}\")].");
                }

                return;
            }
        }
    }

    /// <summary>Freezes the registrations into a registry.</summary>
    internal ModelRegistry Build() => new(_models.Values);
}
