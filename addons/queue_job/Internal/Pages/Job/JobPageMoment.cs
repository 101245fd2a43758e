namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>A step of the job's run: its name, its date and time, and how long after the step before it it came.</summary>
internal sealed record JobPageMoment(string Label, string When, string After)
{
    /// <summary>Created, enqueued, started, done, cancelled: the steps the job went through, in that order.</summary>
    public static IReadOnlyList<JobPageMoment> Timeline(JobPageRun run)
    {
        (string Label, DateTime? When)[] steps =
            [("Created", run.DateCreated), ("Enqueued", run.DateEnqueued), ("Started", run.DateStarted), ("Done", run.DateDone), ("Cancelled", run.DateCancelled)];
        var moments = new List<JobPageMoment>();
        (string Label, DateTime When)? previous = null;
        foreach (var (label, when) in steps)
        {
            if (when is not { } date)
            {
                continue;
            }

            var after = previous is { } p ? $"{JobFieldFormat.Duration(date - p.When)} after {p.Label.ToLowerInvariant()}" : "";
            moments.Add(new JobPageMoment(label, JobFieldFormat.Date(date), after));
            previous = (label, date);
        }

        return moments;
    }
}
