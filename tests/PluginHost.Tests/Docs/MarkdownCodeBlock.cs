using System.Text.RegularExpressions;

namespace PluginHost.Tests.Docs;

/// <summary>A fenced C# code block of a markdown document: its text and the document line its first code line is on.</summary>
/// <param name="Line">The 1-based line of the block's first line of code (the line after its opening fence).</param>
/// <param name="Code">The lines between the fences, without the fence's indentation.</param>
internal sealed partial record MarkdownCodeBlock(int Line, string Code)
{
    /// <summary>
    /// The blocks fenced as <c>```csharp</c> (or <c>cs</c>, <c>c#</c>), in document order. A block left open at the
    /// end of the document is an error: its code would otherwise escape the check.
    /// </summary>
    public static IReadOnlyList<MarkdownCodeBlock> ReadAll(string document, string markdown)
    {
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var blocks = new List<MarkdownCodeBlock>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (OpeningFence().Match(lines[i]) is not { Success: true } opening)
            {
                continue;
            }

            var (indent, fence, isCSharp) = (opening.Groups["indent"].Length, opening.Groups["fence"].Value, IsCSharp(opening.Groups["info"].Value));
            var first = i + 1;
            var end = Array.FindIndex(lines, first, l => l.Trim() is var t && t.StartsWith(fence, StringComparison.Ordinal) && t.Trim(fence[0]).Length == 0);
            if (end < 0)
            {
                throw new InvalidOperationException($"{document}:{i + 1}: a code block opened here is never closed.");
            }

            if (isCSharp)
            {
                var code = lines[first..end].Select(l => l.Length >= indent && string.IsNullOrWhiteSpace(l[..indent]) ? l[indent..] : l.TrimStart());
                blocks.Add(new MarkdownCodeBlock(first + 1, string.Join('\n', code)));
            }

            i = end;
        }

        return blocks;
    }

    private static bool IsCSharp(string info) =>
        info.Split(' ', 2)[0].ToLowerInvariant() is "csharp" or "cs" or "c#";

    [GeneratedRegex(@"^(?<indent> *)(?<fence>`{3,}|~{3,})\s*(?<info>[^`]*)$")]
    private static partial Regex OpeningFence();
}
