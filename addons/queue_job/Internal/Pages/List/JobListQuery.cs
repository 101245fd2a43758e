using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// What the Jobs list shows, from its URL: a text search, filters, a grouping, a sort and a page. Parsed once, checked
/// (a bad value is a <see cref="JobListParameterException"/>), and written back as the URL of a tab, group or page.
/// </summary>
internal sealed record JobListQuery
{
    /// <summary>
    /// The columns the list sorts by; <c>created</c> (the order jobs were created in: their id, from the sequence at
    /// insert) is the default and pages by cursor.
    /// </summary>
    public static readonly IReadOnlyList<string> Sorts = ["created", "priority", "state", "channel", "started", "done", "duration"];

    /// <summary>The columns the list groups by.</summary>
    public static readonly IReadOnlyList<string> Groups = ["state", "channel", "function"];

    public string? Text { get; init; }

    public string? State { get; init; }

    public string? Channel { get; init; }

    public string? Function { get; init; }

    public string? Model { get; init; }

    /// <summary>The <c>created_from</c> date as given; <see cref="CreatedSince"/> is its instant.</summary>
    public string? CreatedFrom { get; init; }

    /// <summary>The <c>created_to</c> date as given, included; <see cref="CreatedBefore"/> is the instant after it.</summary>
    public string? CreatedTo { get; init; }

    public DateTime? CreatedSince { get; init; }

    public DateTime? CreatedBefore { get; init; }

    public string? Group { get; init; }

    public string Sort { get; init; } = "created";

    public bool Descending { get; init; } = true;

    public JobListCursor? After { get; init; }

    public JobListCursor? Before { get; init; }

    /// <summary>The page number (from 1) of a sort other than <c>created</c>.</summary>
    public int Page { get; init; } = 1;

    /// <summary>Whether the list pages by cursor along an index (the order jobs were created in) rather than by page number.</summary>
    public bool ByCursor => Sort == "created";

    /// <summary>Whether the rows are found by reading every job that matches the filters: a text search or another sort.</summary>
    public bool Scans => Text is not null || !ByCursor;

    /// <summary>The list's parameters from a query string; unknown names are ignored, bad values throw.</summary>
    public static JobListQuery From(IQueryCollection query)
    {
        string? Value(string name) => query[name].ToString().Trim() is { Length: > 0 } value ? value : null;
        var sort = OneOf("sort", Value("sort"), Sorts) ?? "created";
        var dir = OneOf("dir", Value("dir"), ["asc", "desc"]);
        var parsed = new JobListQuery
        {
            Text = Value("q"),
            State = OneOf("state", Value("state"), JobState.All),
            Channel = Value("channel"),
            Function = Value("function"),
            Model = Value("model"),
            CreatedFrom = Value("created_from"),
            CreatedTo = Value("created_to"),
            CreatedSince = Instant("created_from", Value("created_from"), endOfDay: false),
            CreatedBefore = Instant("created_to", Value("created_to"), endOfDay: true),
            Group = OneOf("group", Value("group"), Groups),
            Sort = sort,
            Descending = dir != "asc",
            After = Value("after") is { } after ? JobListCursor.Parse("after", after) : null,
            Before = Value("before") is { } before ? JobListCursor.Parse("before", before) : null,
            Page = Value("page") is { } page ? PageNumber(page) : 1,
        };
        return parsed.Checked();
    }

    /// <summary>The list's URL with these parameters, defaults left out.</summary>
    public string Url
    {
        get
        {
            var parameters = new List<(string Name, string? Value)>
            {
                ("q", Text), ("state", State), ("channel", Channel), ("function", Function), ("model", Model),
                ("created_from", CreatedFrom), ("created_to", CreatedTo), ("group", Group),
                ("sort", Sort == "created" ? null : Sort), ("dir", Descending ? null : "asc"),
                ("after", After?.ToString()), ("before", Before?.ToString()),
                ("page", Page == 1 ? null : Page.ToString(CultureInfo.InvariantCulture)),
            };
            var query = string.Join("&", parameters.Where(p => p.Value is not null).Select(p => $"{p.Name}={Uri.EscapeDataString(p.Value!)}"));
            return query.Length == 0 ? "/queue_job/jobs" : "/queue_job/jobs?" + query;
        }
    }

    /// <summary>The same filters, from the first page.</summary>
    public JobListQuery FirstPage => this with { After = null, Before = null, Page = 1 };

    private JobListQuery Checked()
    {
        if (After is not null && Before is not null)
        {
            throw new JobListParameterException("before", "either after or before, not both", Before.ToString());
        }

        if (!ByCursor && (After ?? Before) is { } cursor)
        {
            throw new JobListParameterException(After is null ? "before" : "after", "no cursor with sort=" + Sort + " (pages by page=N)", cursor.ToString());
        }

        return ByCursor && Page != 1
            ? throw new JobListParameterException("page", "no page number with the order jobs were created in (pages by after=cursor)", Page.ToString(CultureInfo.InvariantCulture))
            : this;
    }

    private static string? OneOf(string parameter, string? value, IReadOnlyList<string> allowed) =>
        value is null || allowed.Contains(value) ? value : throw new JobListParameterException(parameter, "one of " + string.Join(", ", allowed), value);

    private static int PageNumber(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page >= 1
            ? page
            : throw new JobListParameterException("page", "a page number from 1", text);

    /// <summary>A date (<c>2025-01-31</c>, UTC, the whole day) or an instant (<c>2025-01-31T12:00:00Z</c>).</summary>
    private static DateTime? Instant(string parameter, string? text, bool endOfDay)
    {
        if (text is null)
        {
            return null;
        }

        if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var day))
        {
            return DateTime.SpecifyKind(endOfDay ? day.AddDays(1) : day, DateTimeKind.Utc);
        }

        return DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            && text.Contains('T', StringComparison.Ordinal)
                ? DateTime.SpecifyKind(instant, DateTimeKind.Utc)
                : throw new JobListParameterException(parameter, "an ISO date such as 2025-01-31 (UTC) or an instant such as 2025-01-31T12:00:00Z", text);
    }
}
