using System.Data;
using System.Data.Common;
using System.Text.Json;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// A job an executor marked started, with what it needs to run it (its function's retry pattern and timeout, whether
/// other jobs depend on it) and the token of this try, which every outcome of the try is written under.
/// </summary>
internal sealed record ClaimedJob(
    long Id, string Uuid, string ModelName, string MethodName, JsonElement Records, JsonElement Args, long? UserId,
    int Retry, int MaxRetries, RetryPattern RetryPattern, string Channel, TimeSpan? Timeout, Guid Token, bool HasDependents)
{
    /// <summary>The context the job runs with: the stored allow-listed keys, and <c>job_uuid</c>.</summary>
    public IReadOnlyDictionary<string, object?> Context =>
        (Records.TryGetProperty("context", out var stored) && stored.ValueKind == JsonValueKind.Object
            ? stored.EnumerateObject().ToDictionary(p => p.Name, p => JsonValues.ToObject(p.Value))
            : new Dictionary<string, object?>())
        .Append(new KeyValuePair<string, object?>("job_uuid", Uuid))
        .ToDictionary();

    /// <summary>
    /// Reads a claimed row by column name (<see cref="ClaimStatements"/>). A stored retry pattern that no longer
    /// parses (data files check it on write) is read as none, so the job still runs rather than being claimed again and again.
    /// </summary>
    public static ClaimedJob Read(DbDataReader reader) => new(
        reader.GetFieldValue<long>("id"), reader.GetFieldValue<string>("uuid"), reader.GetFieldValue<string>("model_name"),
        reader.GetFieldValue<string>("method_name"),
        JsonDocument.Parse(reader.GetFieldValue<string>("records")).RootElement, JsonDocument.Parse(reader.GetFieldValue<string>("args")).RootElement,
        reader.GetFieldValue<long?>("user_id"), reader.GetFieldValue<int>("retry"), reader.GetFieldValue<int>("max_retries"),
        Text(reader, "retry_pattern") is { } pattern ? PatternOrNone(pattern) : RetryPattern.None,
        reader.GetFieldValue<string>("channel"),
        reader.GetFieldValue<int?>("timeout") is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        reader.GetFieldValue<Guid>("try_token"), reader.GetFieldValue<bool>("has_dependents"));

    private static string? Text(DbDataReader reader, string column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static RetryPattern PatternOrNone(string json)
    {
        try
        {
            return RetryPattern.Parse(json);
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return RetryPattern.None;
        }
    }
}
