using System.Globalization;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>The job page's template model: the job's data, and its dates, durations and JSON written for people.</summary>
internal sealed record JobPageView(
    JobPageData Data,
    IReadOnlyList<JobPageMoment> Moments,
    string Eta,
    string ExecTime,
    string RecordIds,
    string Args,
    string Kwargs,
    string? GraphSvg,
    string? GraphNote)
{
    /// <summary>The live snapshot's version when the page was read (<c>#live</c>'s <c>data-version</c>).</summary>
    public string Version { get; init; } = "";

    /// <summary>The view of <paramref name="job"/> at <paramref name="now"/> (for the eta's "in 3 min").</summary>
    public static JobPageView Of(JobPageData job, DateTime now)
    {
        var run = job.Run;
        var graph = job.Graph;
        return new JobPageView(
            job,
            JobPageMoment.Timeline(run),
            run.Eta is { } eta ? $"{JobFieldFormat.Date(eta)} ({(eta > now ? $"in {JobFieldFormat.Duration(eta - now)}" : $"{JobFieldFormat.Duration(now - eta)} ago")})" : "",
            run.ExecTime is { } seconds ? JobFieldFormat.Duration(TimeSpan.FromSeconds(seconds)) : "",
            job.Arguments.RecordIds.GetRawText(),
            JobFieldFormat.Json(job.Arguments.Args),
            JobFieldFormat.Json(job.Arguments.Kwargs),
            graph is null ? null : JobGraphSvg.Draw(graph, job.Uuid),
            graph is not null && graph.Total > graph.Nodes.Count
                ? string.Create(CultureInfo.InvariantCulture, $"This graph has {graph.Total} jobs: the first {graph.Nodes.Count} are drawn.")
                : null);
    }
}
