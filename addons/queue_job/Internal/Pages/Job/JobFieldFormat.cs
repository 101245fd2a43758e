using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>How the job page writes values for people: dates with the day, durations in the largest units, JSON indented.</summary>
internal static class JobFieldFormat
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><c>Fri 2024-05-03 12:00:01 UTC</c>; empty for no date.</summary>
    public static string Date(DateTime? value) =>
        value is { } date ? date.ToUniversalTime().ToString("ddd yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture) : "";

    /// <summary><c>0.042 s</c>, <c>12.3 s</c>, <c>4 min 5 s</c>, <c>3 h 4 min</c>, <c>2 d 3 h</c>; negative spans get a minus sign.</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            return "-" + Duration(span.Negate());
        }

        return span.TotalSeconds switch
        {
            < 1 => span.TotalSeconds.ToString("0.000 's'", CultureInfo.InvariantCulture),
            < 60 => span.TotalSeconds.ToString("0.0 's'", CultureInfo.InvariantCulture),
            < 3600 => $"{(int)span.TotalMinutes} min {span.Seconds} s",
            < 86400 => $"{(int)span.TotalHours} h {span.Minutes} min",
            _ => $"{(int)span.TotalDays} d {span.Hours} h",
        };
    }

    /// <summary>The stored JSON (args, kwargs, record ids) indented, its strings as they are (the page escapes them).</summary>
    public static string Json(JsonElement value) => JsonSerializer.Serialize(value, Indented);
}
