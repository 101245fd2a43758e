using LinqToDB;
using LinqToDB.Mapping;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob;

/// <summary>A row of <c>queue_job</c>, every column, for typed reads and reports; the job path writes it with its own statements.</summary>
[Table("queue_job")]
public class QueueJobRow : IModelRow
{
    /// <summary>The record id.</summary>
    [Column("id"), PrimaryKey, Identity]
    public long Id { get; set; }

    /// <summary>The job's identifier, in job URLs and dependencies.</summary>
    [Column("uuid"), NotNull]
    public string Uuid { get; set; } = "";

    /// <summary>The graph (chain or group) the job belongs to, if any.</summary>
    [Column("graph_uuid")]
    public string? GraphUuid { get; set; }

    /// <summary>The user the job runs as.</summary>
    [Column("user_id")]
    public long? UserId { get; set; }

    /// <summary>Odoo's company column, kept for compatibility.</summary>
    [Column("company_id")]
    public long? CompanyId { get; set; }

    /// <summary>The description.</summary>
    [Column("name")]
    public string? Name { get; set; }

    /// <summary>The model the method is called on.</summary>
    [Column("model_name"), NotNull]
    public string ModelName { get; set; } = "";

    /// <summary>The method called.</summary>
    [Column("method_name"), NotNull]
    public string MethodName { get; set; } = "";

    /// <summary>The ids of the records, a JSON array.</summary>
    [Column("record_ids", DataType = DataType.BinaryJson), NotNull]
    public string RecordIds { get; set; } = "";

    /// <summary>The recordset the method is called on, as JSON.</summary>
    [Column("records", DataType = DataType.BinaryJson), NotNull]
    public string Records { get; set; } = "";

    /// <summary><c>depends_on</c> and <c>reverse_depends_on</c>: uuids of the jobs before and after it, as JSON.</summary>
    [Column("dependencies", DataType = DataType.BinaryJson), NotNull]
    public string Dependencies { get; set; } = "";

    /// <summary>The positional arguments, a JSON array.</summary>
    [Column("args", DataType = DataType.BinaryJson), NotNull]
    public string Args { get; set; } = "";

    /// <summary>The keyword arguments, a JSON object.</summary>
    [Column("kwargs", DataType = DataType.BinaryJson), NotNull]
    public string Kwargs { get; set; } = "";

    /// <summary>The call as text, <c>model(ids).Method(args)</c>.</summary>
    [Column("func_string")]
    public string? FuncString { get; set; }

    /// <summary>wait_dependencies, pending, enqueued, started, done, cancelled or failed (<see cref="JobState"/>).</summary>
    [Column("state"), NotNull]
    public string State { get; set; } = "";

    /// <summary>Lower runs first.</summary>
    [Column("priority"), NotNull]
    public int Priority { get; set; }

    /// <summary>The exception type of the last failed try.</summary>
    [Column("exc_name")]
    public string? ExcName { get; set; }

    /// <summary>Its message.</summary>
    [Column("exc_message")]
    public string? ExcMessage { get; set; }

    /// <summary>Its traceback.</summary>
    [Column("exc_info")]
    public string? ExcInfo { get; set; }

    /// <summary>What the method returned, as text.</summary>
    [Column("result")]
    public string? Result { get; set; }

    /// <summary>When the job was stored.</summary>
    [Column("date_created"), NotNull]
    public DateTime DateCreated { get; set; }

    /// <summary>When the current or last try started.</summary>
    [Column("date_started")]
    public DateTime? DateStarted { get; set; }

    /// <summary>When the runner handed it to an executor.</summary>
    [Column("date_enqueued")]
    public DateTime? DateEnqueued { get; set; }

    /// <summary>When it was done.</summary>
    [Column("date_done")]
    public DateTime? DateDone { get; set; }

    /// <summary>When it was cancelled.</summary>
    [Column("date_cancelled")]
    public DateTime? DateCancelled { get; set; }

    /// <summary>Seconds the last try took.</summary>
    [Column("exec_time")]
    public double? ExecTime { get; set; }

    /// <summary>Not before this time.</summary>
    [Column("eta")]
    public DateTime? Eta { get; set; }

    /// <summary>The tries so far.</summary>
    [Column("retry"), NotNull]
    public int Retry { get; set; }

    /// <summary>The tries allowed before it fails (0: no limit).</summary>
    [Column("max_retries"), NotNull]
    public int MaxRetries { get; set; }

    /// <summary><c>&lt;model&gt;.method</c>, the job function's name.</summary>
    [Column("channel_method_name")]
    public string? ChannelMethodName { get; set; }

    /// <summary>The job function (<c>queue.job.function</c>).</summary>
    [Column("job_function_id")]
    public long? JobFunctionId { get; set; }

    /// <summary>The channel it runs on.</summary>
    [Column("channel"), NotNull]
    public string Channel { get; set; } = "";

    /// <summary>At most one job with this key waits at a time.</summary>
    [Column("identity_key")]
    public string? IdentityKey { get; set; }

    /// <summary>The process running it.</summary>
    [Column("worker_pid")]
    public int? WorkerPid { get; set; }

    /// <summary>The node running it.</summary>
    [Column("worker_node")]
    public string? WorkerNode { get; set; }

    /// <summary>The token of the current try: its outcome is written only under it.</summary>
    [Column("try_token")]
    public Guid? TryToken { get; set; }
}
