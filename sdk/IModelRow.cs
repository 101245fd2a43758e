namespace PluginHost.Sdk;

/// <summary>
/// A row type of a model's table, mapped with linq2db attributes (<c>[Table]</c>, <c>[Column]</c>): its
/// <see cref="Id"/> is the record id. An addon that adds columns to another addon's model derives a row type of its own
/// from that addon's, mapping the same table with its columns added.
/// </summary>
/// <example>
/// <code>
/// [Table("shop_order")]
/// public class ShopOrderRow : IModelRow
/// {
///     [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
///     [Column("name")] public string Name { get; set; } = "";
///     [Column("state")] public string State { get; set; } = "draft";
/// }
/// </code>
/// </example>
public interface IModelRow
{
    /// <summary>The record id (the <c>id</c> column).</summary>
    long Id { get; }
}
