namespace PluginHost.Host.Text;

/// <summary>The known name a mistyped one most likely meant, by edit distance, for "did you mean" hints.</summary>
public static class ClosestName
{
    /// <summary>The candidate nearest to <paramref name="name"/> (ignoring case) within <paramref name="maxDistance"/> edits; null when none is.</summary>
    public static string? Among(string name, IEnumerable<string> candidates, int maxDistance = 3)
    {
        var closest = candidates
            .Select(candidate => (Name: candidate, Distance: EditDistance(name.ToLowerInvariant(), candidate.ToLowerInvariant())))
            .OrderBy(c => c.Distance)
            .FirstOrDefault();
        return closest.Name is not null && closest.Distance <= maxDistance ? closest.Name : null;
    }

    /// <summary>" (did you mean 'x'?)" for the closest candidate, or an empty string.</summary>
    public static string Hint(string name, IEnumerable<string> candidates) =>
        Among(name, candidates) is { } closest ? $" (did you mean '{closest}'?)" : "";

    /// <summary>Levenshtein distance: insertions, deletions and substitutions.</summary>
    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            previous = current;
        }

        return previous[b.Length];
    }
}
