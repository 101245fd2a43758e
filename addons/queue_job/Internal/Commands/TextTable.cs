namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Rows of text printed under a header in columns as wide as their widest cell, two spaces apart; the last column is
/// not padded, so no line ends in blanks.
/// </summary>
internal static class TextTable
{
    /// <summary>Writes <paramref name="header"/>, then each row; every row has one cell per header cell.</summary>
    public static async Task WriteAsync(TextWriter output, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> rows)
    {
        var lines = rows.Prepend(header).ToList();
        var widths = header.Select((_, column) => lines.Max(line => line[column].Length)).ToList();
        foreach (var line in lines)
        {
            var cells = line.Select((cell, column) => column < line.Count - 1 ? cell.PadRight(widths[column]) : cell);
            await output.WriteLineAsync(string.Join("  ", cells));
        }
    }
}
