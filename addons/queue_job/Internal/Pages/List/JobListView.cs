namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>What jobs.html shows: the filters as given, the state tabs, the rows or groups, the page links and a notice.</summary>
internal sealed class JobListView(JobListQuery query, JobListResult? result, IReadOnlyList<string> channels, IReadOnlyList<string> functions, string version)
{
    /// <summary>The live snapshot's version when the page was read (<c>#live</c>'s <c>data-version</c>).</summary>
    public string Version => version;

    public string Q => query.Text ?? "";

    public string State => query.State ?? "";

    public string Channel => query.Channel ?? "";

    public string Function => query.Function ?? "";

    public string Model => query.Model ?? "";

    public string CreatedFrom => query.CreatedFrom ?? "";

    public string CreatedTo => query.CreatedTo ?? "";

    public string Group => query.Group ?? "";

    /// <summary>This list's own URL, where the bulk actions come back to.</summary>
    public string Back => query.Url;

    public IReadOnlyList<string> Channels => channels;

    public IReadOnlyList<string> Functions => functions;

    /// <summary>"All" then each state, with its count under the other filters.</summary>
    public IEnumerable<JobListTab> Tabs =>
        new[] { (State: "", Label: "all") }.Concat(JobState.All.Select(s => (State: s, Label: s)))
            .Select(t => new JobListTab(t.State, t.Label, t.State.Length == 0 ? result?.Counts.Values.Sum() : result?.Counts[t.State],
                (query.FirstPage with { State = t.State.Length == 0 ? null : t.State }).Url, t.State == State));

    public IReadOnlyList<JobListRow> Jobs => result?.Rows ?? [];

    public IReadOnlyList<JobListGroup> Groups => result?.Groups ?? [];

    public string? NextUrl => result?.Next?.Url;

    public string? PrevUrl => result?.Previous?.Url;

    /// <summary>The URL that sorts by each sortable column, the other way round when the list is sorted by it already.</summary>
    public IReadOnlyDictionary<string, string> SortUrls =>
        JobListQuery.Sorts.ToDictionary(s => s, s => (query.FirstPage with { Sort = s, Descending = s != query.Sort || !query.Descending }).Url);

    /// <summary>Which column sorts the list and which way, as an arrow after its header.</summary>
    public string Sort => query.Sort;

    public string SortMark => query.Descending ? "▼" : "▲";

    public string? Notice => query.Text is not null
        ? "Searching text scans every job; narrow it with a state or a date."
        : query.ByCursor ? null : $"Sorting by {query.Sort} reads every matching job; narrow it with a state or a date.";

    /// <summary>Why nothing is listed when the queries ran out of time.</summary>
    public string? Error => result is null
        ? $"The list took longer than {JobListPages.TimeLimit.TotalSeconds:0} s and was stopped. Narrow it with a state, a channel or a date, or search less text."
        : null;
}
