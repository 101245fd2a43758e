using LinqToDB;
using LinqToDB.Mapping;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob;

/// <summary>A row of <c>queue_job_function</c>.</summary>
[Table("queue_job_function")]
public class QueueJobFunctionRow : IModelRow
{
    /// <summary>The record id.</summary>
    [Column("id"), PrimaryKey, Identity]
    public long Id { get; set; }

    /// <summary><c>&lt;model&gt;.method</c>.</summary>
    [Column("name"), NotNull]
    public string Name { get; set; } = "";

    /// <summary>The model.</summary>
    [Column("model_name"), NotNull]
    public string ModelName { get; set; } = "";

    /// <summary>The method.</summary>
    [Column("method"), NotNull]
    public string Method { get; set; } = "";

    /// <summary>The channel record.</summary>
    [Column("channel_id"), NotNull]
    public long ChannelId { get; set; }

    /// <summary>The channel's complete name.</summary>
    [Column("channel"), NotNull]
    public string Channel { get; set; } = "";

    /// <summary>Tries to seconds of delay, as JSON.</summary>
    [Column("retry_pattern", DataType = DataType.BinaryJson), NotNull]
    public string RetryPattern { get; set; } = "";

    /// <summary>The related action, as JSON.</summary>
    [Column("related_action", DataType = DataType.BinaryJson), NotNull]
    public string RelatedAction { get; set; } = "";

    /// <summary>Seconds a try may take, or null.</summary>
    [Column("timeout")]
    public int? Timeout { get; set; }
}
