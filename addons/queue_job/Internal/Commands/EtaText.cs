using System.Globalization;
using System.Text.RegularExpressions;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// <c>host queue enqueue --eta</c>: a moment in ISO 8601 with its offset (<c>2026-12-01T09:30:00+01:00</c>,
/// <c>…Z</c>), or <c>+SECONDS</c> from now. A time without an offset is refused: the shell's time zone is no guess.
/// </summary>
internal static partial class EtaText
{
    public const string Expected = "expected an ISO 8601 time with its offset (2026-12-01T09:30:00+01:00, or Z for UTC) or +SECONDS (+90)";

    /// <summary>Null when <paramref name="text"/> is an eta, else what was expected.</summary>
    public static string? Check(string text) => TryParse(text, DateTime.UtcNow, out _) ? null : $"{Expected}, got '{text}'";

    /// <summary>The eta in UTC, <paramref name="now"/> being the moment a relative one counts from.</summary>
    public static DateTime Parse(string text, DateTime now) =>
        TryParse(text, now, out var eta) ? eta : throw new ArgumentException($"--eta: {Expected}, got '{text}'");

    private static bool TryParse(string text, DateTime now, out DateTime eta)
    {
        eta = default;
        if (text.StartsWith('+'))
        {
            if (!int.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return false;
            }

            eta = now.AddSeconds(seconds);
            return true;
        }

        if (!WithOffset().IsMatch(text) || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var moment))
        {
            return false;
        }

        eta = moment.UtcDateTime;
        return true;
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex WithOffset();
}
