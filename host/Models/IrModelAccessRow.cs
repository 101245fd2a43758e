using LinqToDB.Mapping;
using PluginHost.Sdk;

namespace PluginHost.Host.Models;

/// <summary>A row of <c>ir_model_access</c>: a group (or everyone, when null) may read a model's records.</summary>
[Table("ir_model_access")]
internal sealed class IrModelAccessRow : IModelRow
{
    [Column("id"), PrimaryKey, Identity]
    public long Id { get; set; }

    [Column("name"), NotNull]
    public string Name { get; set; } = "";

    [Column("model"), NotNull]
    public string Model { get; set; } = "";

    [Column("group_id")]
    public long? GroupId { get; set; }

    [Column("perm_read"), NotNull]
    public bool PermRead { get; set; } = true;
}
