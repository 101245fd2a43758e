using System.Text.Json;
using System.Data.Common;

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
        Column<long>(reader, "id"), Column<string>(reader, "uuid"), Column<string>(reader, "model_name"),
        Column<string>(reader, "method_name"),
        JsonDocument.Parse(Column<string>(reader, "records")).RootElement, JsonDocument.Parse(Column<string>(reader, "args")).RootElement,
        Column<long?>(reader, "user_id"), Column<int>(reader, "retry"), Column<int>(reader, "max_retries"),
        Text(reader, "retry_pattern") is { } pattern ? PatternOrNone(pattern) : RetryPattern.None,
        Column<string>(reader, "channel"),
        Column<int?>(reader, "timeout") is { } seconds ? TimeSpan.FromSeconds(seconds) : null,
        Column<Guid>(reader, "try_token"), Column<bool>(reader, "has_dependents"));

    /// <summary>The value of the named column (<typeparamref name="T"/> nullable for a column that may be null).</summary>
    public static T Column<T>(DbDataReader reader, string column) => reader.GetFieldValue<T>(reader.GetOrdinal(column));

    private static string? Text(DbDataReader reader, string column) =>
        reader.IsDBNull(reader.GetOrdinal(column)) ? null : Column<string>(reader, column);

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
