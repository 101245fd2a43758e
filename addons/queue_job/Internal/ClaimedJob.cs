using System.Text.Json;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>A job an executor marked started, with what it needs to run it.</summary>
internal sealed record ClaimedJob(
    long Id, string Uuid, string ModelName, string MethodName, JsonElement Records, JsonElement Args, long? UserId,
    int Retry, int MaxRetries, RetryPattern RetryPattern);
