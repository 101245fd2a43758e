namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>What a bulk action did: how many jobs it changed and which it skipped, said as "12 requeued, 3 skipped: running".</summary>
internal sealed record JobBulkResult(JobBulkAction Action, int Done, IReadOnlyList<JobBulkSkip> Skipped)
{
    /// <summary>The flash message: the count done, then the skipped ones by reason ("3 skipped: 2 running, 1 not found").</summary>
    public string Message
    {
        get
        {
            var done = $"{Done} {Action.Verb}";
            if (Skipped.Count == 0)
            {
                return done;
            }

            var reasons = Skipped.GroupBy(s => s.Reason).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).ToList();
            var why = reasons.Count == 1 ? reasons[0].Key : string.Join(", ", reasons.Select(g => $"{g.Count()} {g.Key}"));
            return $"{done}, {Skipped.Count} skipped: {why}";
        }
    }
}
