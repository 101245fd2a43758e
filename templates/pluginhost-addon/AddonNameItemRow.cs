using LinqToDB;
using LinqToDB.Mapping;
using PluginHost.Sdk;

namespace AddonName;

/// <summary>A row of <c>addon_name_item</c> (Migrations/0001_addon_name_item.sql), mapped for linq2db.</summary>
[Table("addon_name_item")]
public class AddonNameItemRow : IModelRow
{
    [Column("id"), PrimaryKey, Identity] public long Id { get; set; }

    [Column("name"), NotNull] public string Name { get; set; } = "";

    [Column("state"), NotNull] public string State { get; set; } = "new";

    [Column("synced_at")] public DateTime? SyncedAt { get; set; }
}
