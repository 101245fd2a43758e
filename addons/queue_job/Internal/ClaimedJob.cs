using System.Text.Json;
using Npgsql;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// A job an executor marked started, with what it needs to run it (its function's retry pattern and timeout) and
/// the claim's time, which identifies this try in the guard of its outcome.
/// </summary>
internal sealed record ClaimedJob(
    long Id, string Uuid, string ModelName, string MethodName, JsonElement Records, JsonElement Args, long? UserId,
    int Retry, int MaxRetries, RetryPattern RetryPattern, string Channel, TimeSpan? Timeout, DateTime StartedAt)
{
    /// <summary>The context the job runs with: the stored allow-listed keys, and <c>job_uuid</c>.</summary>
    public IReadOnlyDictionary<string, object?> Context =>
        (Records.TryGetProperty("context", out var stored) && stored.ValueKind == JsonValueKind.Object
            ? stored.EnumerateObject().ToDictionary(p => p.Name, p => JsonValues.ToObject(p.Value))
            : new Dictionary<string, object?>())
        .Append(new KeyValuePair<string, object?>("job_uuid", Uuid))
        .ToDictionary();

    /// <summary>
    /// Reads a row of a claim's <c>RETURNING</c> list. A stored retry pattern that no longer parses (data files
    /// check it on write) is read as none, so the job still runs rather than being claimed again and again.
    /// </summary>
    public static ClaimedJob Read(NpgsqlDataReader reader) => new(
        reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
        JsonDocument.Parse(reader.GetString(4)).RootElement, JsonDocument.Parse(reader.GetString(5)).RootElement,
        reader.IsDBNull(6) ? null : reader.GetInt64(6), reader.GetInt32(7), reader.GetInt32(8),
        reader.IsDBNull(9) ? RetryPattern.None : PatternOrNone(reader.GetString(9)), reader.GetString(10),
        reader.IsDBNull(11) ? null : TimeSpan.FromSeconds(reader.GetInt32(11)), reader.GetDateTime(12));

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
