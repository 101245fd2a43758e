using LinqToDB.Mapping;
using PluginHost.Sdk;

namespace PluginHost.Host.Models;

/// <summary>A row of <c>res_groups</c>: a group of users, named in data files by external id.</summary>
[Table("res_groups")]
internal sealed class ResGroupRow : IModelRow
{
    [Column("id"), PrimaryKey, Identity]
    public long Id { get; set; }

    [Column("name"), NotNull]
    public string Name { get; set; } = "";
}
