using LinqToDB.Mapping;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob;

/// <summary>A row of <c>queue_job_channel</c>.</summary>
[Table("queue_job_channel")]
public class QueueJobChannelRow : IModelRow
{
    /// <summary>The record id.</summary>
    [Column("id"), PrimaryKey, Identity]
    public long Id { get; set; }

    /// <summary>The last part of the name.</summary>
    [Column("name"), NotNull]
    public string Name { get; set; } = "";

    /// <summary>The parent channel.</summary>
    [Column("parent_id")]
    public long? ParentId { get; set; }

    /// <summary>The dotted name, <c>root.shop</c>.</summary>
    [Column("complete_name")]
    public string? CompleteName { get; set; }

    /// <summary>Days a done job of the channel is kept.</summary>
    [Column("removal_interval"), NotNull]
    public int RemovalInterval { get; set; }
}
