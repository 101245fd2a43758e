using System.Collections.Concurrent;

namespace PluginHost.Bench.Table;

/// <summary>The last 50 lines a child process wrote, kept for the error message when it fails; safe from any thread.</summary>
internal sealed class RecentLines
{
    private const int Kept = 50;

    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>Keeps <paramref name="line"/>, dropping the oldest beyond 50; null (the end of a stream) is ignored.</summary>
    public void Add(string? line)
    {
        if (line is null)
        {
            return;
        }

        _lines.Enqueue(line);
        while (_lines.Count > Kept && _lines.TryDequeue(out _))
        {
        }
    }

    public override string ToString() => string.Join('\n', _lines);
}
