using LinqToDB.Mapping;

namespace PluginHost.Addons.Web.Internal;

/// <summary>A row of <c>web_data_protection_key</c>: one ASP.NET Core data-protection key, as XML.</summary>
[Table("web_data_protection_key")]
internal sealed class DataProtectionKeyRow
{
    [Column("id"), PrimaryKey, Identity]
    public long Id { get; set; }

    [Column("friendly_name"), NotNull]
    public string FriendlyName { get; set; } = "";

    [Column("xml"), NotNull]
    public string Xml { get; set; } = "";
}
