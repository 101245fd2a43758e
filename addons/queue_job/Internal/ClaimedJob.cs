using System.Text.Json;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>A job an executor marked started, with what it needs to run it (its function's retry pattern and timeout).</summary>
internal sealed record ClaimedJob(
    long Id, string Uuid, string ModelName, string MethodName, JsonElement Records, JsonElement Args, long? UserId,
    int Retry, int MaxRetries, RetryPattern RetryPattern, string Channel, TimeSpan? Timeout)
{
    /// <summary>The context the job runs with: the stored allow-listed keys, and <c>job_uuid</c>.</summary>
    public IReadOnlyDictionary<string, object?> Context =>
        (Records.TryGetProperty("context", out var stored) && stored.ValueKind == JsonValueKind.Object
            ? stored.EnumerateObject().ToDictionary(p => p.Name, p => JsonValues.ToObject(p.Value))
            : new Dictionary<string, object?>())
        .Append(new KeyValuePair<string, object?>("job_uuid", Uuid))
        .ToDictionary();
}
