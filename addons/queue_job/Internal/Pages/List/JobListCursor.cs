using System.Globalization;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Where a page of the Jobs list starts in the order (date_created, id): <c>2025-01-31T12:00:00.1234560Z,42</c>. A
/// page after it holds the rows past it in the list's order; a page before it, the rows ahead of it.
/// </summary>
internal readonly record struct JobListCursor(DateTime DateCreated, long Id)
{
    private const string Expected = "a cursor '<date created, ISO 8601 UTC>,<id>' from a page link";

    /// <summary>The cursor of a row, to link the page after or before it.</summary>
    public static JobListCursor Of(JobListRow row) => new(row.DateCreated, row.Id);

    /// <summary>The cursor in <paramref name="text"/>, the value of the parameter <paramref name="parameter"/>.</summary>
    public static JobListCursor Parse(string parameter, string text)
    {
        var comma = text.LastIndexOf(',');
        return comma > 0
            && DateTime.TryParse(text[..comma], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date)
            && long.TryParse(text[(comma + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var id)
                ? new JobListCursor(DateTime.SpecifyKind(date, DateTimeKind.Utc), id)
                : throw new JobListParameterException(parameter, Expected, text);
    }

    /// <summary>The cursor as a parameter value, exact to PostgreSQL's microsecond.</summary>
    public override string ToString() =>
        DateCreated.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture) + "," + Id.ToString(CultureInfo.InvariantCulture);
}
