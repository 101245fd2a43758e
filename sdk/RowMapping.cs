using LinqToDB.Mapping;

namespace PluginHost.Sdk;

/// <summary>
/// The linq2db mapping schema of every environment's data context (<see cref="Env.Data"/>). Row types mapped with
/// attributes need nothing here; an addon that maps a row type fluently does it on <see cref="Schema"/> from its
/// <see cref="Addon.RegisterModels"/>, before it registers the model.
/// </summary>
/// <example>
/// <code>
/// new FluentMappingBuilder(RowMapping.Schema)
///     .Entity&lt;ShopOrderRow&gt;().HasTableName("shop_order")
///     .Property(o =&gt; o.Id).HasColumnName("id").IsPrimaryKey().IsIdentity()
///     .Property(o =&gt; o.Name).HasColumnName("name")
///     .Build();
/// </code>
/// </example>
public static class RowMapping
{
    /// <summary>The schema, shared by every database the host serves.</summary>
    public static MappingSchema Schema { get; } = new("PluginHost");
}
