using System.Globalization;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Where a page of the Jobs list starts in the order jobs were created in (their id, from the sequence at insert):
/// <c>42</c>. A page after it holds the rows past it in the list's order; a page before it, the rows ahead of it.
/// </summary>
internal readonly record struct JobListCursor(long Id)
{
    private const string Expected = "a cursor '<job id>' from a page link";

    /// <summary>The cursor of a row, to link the page after or before it.</summary>
    public static JobListCursor Of(JobListRow row) => new(row.Id);

    /// <summary>The cursor in <paramref name="text"/>, the value of the parameter <paramref name="parameter"/>.</summary>
    public static JobListCursor Parse(string parameter, string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? new JobListCursor(id)
            : throw new JobListParameterException(parameter, Expected, text);

    /// <summary>The cursor as a parameter value.</summary>
    public override string ToString() => Id.ToString(CultureInfo.InvariantCulture);
}
