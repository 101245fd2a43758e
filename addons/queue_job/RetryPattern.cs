using System.Text.Json;

namespace PluginHost.Addons.QueueJob;

/// <summary>
/// When to try a failed job again, as Odoo's <c>retry_pattern</c>: <c>{1: 10, 5: 20, 10: 30, 15: 300}</c> means
/// "from try 1 wait 10 s, from try 5 wait 20 s, ...", and a value <c>[a, b]</c> waits a random number of
/// seconds from a to b. Before the smallest key, and without a pattern, a job waits <see cref="DefaultSeconds"/>.
/// </summary>
public sealed class RetryPattern
{
    /// <summary>Wait when no pattern applies, as upstream's <c>RETRY_INTERVAL</c>.</summary>
    public const int DefaultSeconds = 600;

    private readonly IReadOnlyList<(int FromTry, int Min, int Max)> _steps;

    private RetryPattern(IReadOnlyList<(int FromTry, int Min, int Max)> steps) => _steps = steps;

    /// <summary>No pattern: every retry waits <see cref="DefaultSeconds"/>.</summary>
    public static RetryPattern None { get; } = new([]);

    /// <summary>
    /// Reads the stored JSON (<c>{"1": 10, "5": [20, 30]}</c>); a pattern that does not parse is an error naming
    /// the key or value and what was expected.
    /// </summary>
    public static RetryPattern Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"retry pattern {json}: expected an object such as {{\"1\": 10, \"5\": [20, 30]}}.");
        }

        var steps = new List<(int, int, int)>();
        foreach (var step in document.RootElement.EnumerateObject())
        {
            if (!int.TryParse(step.Name, out var fromTry) || fromTry < 0)
            {
                throw new FormatException($"retry pattern {json}: key '{step.Name}' is not a try number.");
            }

            steps.Add(step.Value switch
            {
                { ValueKind: JsonValueKind.Number } v when v.TryGetInt32(out var seconds) && seconds >= 0 => (fromTry, seconds, seconds),
                { ValueKind: JsonValueKind.Array } v when v.GetArrayLength() == 2 && v[0].TryGetInt32(out var min) && v[1].TryGetInt32(out var max) && 0 <= min && min <= max
                    => (fromTry, min, max),
                var other => throw new FormatException($"retry pattern {json}: value of try {fromTry} is {other.GetRawText()}; expected seconds or [min, max]."),
            });
        }

        return new RetryPattern(steps.OrderBy(s => s.Item1).ToList());
    }

    /// <summary>Seconds to wait after try number <paramref name="retry"/> failed.</summary>
    public int SecondsAfter(int retry, Random random)
    {
        var (min, max) = (DefaultSeconds, DefaultSeconds);
        foreach (var step in _steps)
        {
            if (retry < step.FromTry)
            {
                break;
            }

            (min, max) = (step.Min, step.Max);
        }

        return min == max ? min : random.Next(min, max + 1);
    }
}
