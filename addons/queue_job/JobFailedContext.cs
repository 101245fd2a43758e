using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob;

/// <summary>
/// What an <see cref="IJobFailureHandler"/> is told of a job that failed for good: the job, its error as stored
/// (<c>exc_name</c>, <c>exc_message</c>, <c>exc_info</c>) and the database it belongs to, where the handler opens a
/// transaction of its own.
/// </summary>
public sealed class JobFailedContext
{
    /// <summary>How long each handler call may take before its token is cancelled and the next one runs.</summary>
    public static readonly TimeSpan HandlerTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The job's database (a host may serve several): <c>BeginAsync()</c> opens a transaction on it.</summary>
    public required Database Database { get; init; }

    /// <summary>The job's uuid, as in <c>/queue_job/jobs/{uuid}</c>.</summary>
    public required string Uuid { get; init; }

    /// <summary>The model the job's method belongs to, such as <c>shop.order</c>.</summary>
    public required string ModelName { get; init; }

    /// <summary>The method the job called.</summary>
    public required string MethodName { get; init; }

    /// <summary>The ids of the records the method was called on (empty when none, or when they could not be read).</summary>
    public required IReadOnlyList<long> RecordIds { get; init; }

    /// <summary>The user the job ran as (the one who delayed it); null for the superuser's jobs stored without one.</summary>
    public required long? UserId { get; init; }

    /// <summary>The job's complete channel name.</summary>
    public required string Channel { get; init; }

    /// <summary>The error's type (<c>exc_name</c>), such as <c>PluginHost.Addons.QueueJob.FailedJobError</c>.</summary>
    public required string ExceptionName { get; init; }

    /// <summary>The error's message (<c>exc_message</c>).</summary>
    public required string ExceptionMessage { get; init; }

    /// <summary>The error's full text with its stack trace (<c>exc_info</c>).</summary>
    public required string ExceptionInfo { get; init; }

    /// <summary>The tries made, this one included.</summary>
    public required int Retry { get; init; }

    /// <summary>The job's maximum number of tries; 0 retries for ever.</summary>
    public required int MaxRetries { get; init; }
}
