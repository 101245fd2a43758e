using System.Globalization;
using System.Net;
using System.Text;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The dashboard's chart, drawn on the server as SVG (no script): done and failed jobs per minute over the last hour,
/// one polyline each, with the time axis and the scale labelled. Every text in it is HTML-escaped, so the template
/// may write it raw.
/// </summary>
internal static class DashboardChart
{
    private const int Width = 720, Height = 220, Left = 48, Right = 12, Top = 16, Bottom = 36;

    public static string Svg(IReadOnlyList<QueueSnapshotMinute> minutes)
    {
        var max = Math.Max(1, minutes.Count == 0 ? 0 : minutes.Max(m => Math.Max(m.Done, m.Failed)));
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture,
            $"<svg id=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-labelledby=\"chart-title\">");
        svg.Append("<title id=\"chart-title\">Jobs done and failed per minute, last hour</title>");
        Axes(svg, max, minutes);
        Line(svg, minutes.Select(m => m.Done).ToList(), max, "done", "#2e7d32");
        Line(svg, minutes.Select(m => m.Failed).ToList(), max, "failed", "#c62828");
        Legend(svg, minutes);
        return svg.Append("</svg>").ToString();
    }

    private static void Axes(StringBuilder svg, long max, IReadOnlyList<QueueSnapshotMinute> minutes)
    {
        var (x0, y0, x1, y1) = (Left, Height - Bottom, Width - Right, Top);
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x0}\" y1=\"{y0}\" x2=\"{x1}\" y2=\"{y0}\" stroke=\"#888\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{x0}\" y1=\"{y0}\" x2=\"{x0}\" y2=\"{y1}\" stroke=\"#888\"/>");
        Text(svg, x0 - 6, y1 + 4, "end", max.ToString(CultureInfo.InvariantCulture));
        Text(svg, x0 - 6, y0, "end", "0");
        if (minutes.Count > 0)
        {
            Text(svg, x0, y0 + 16, "start", minutes[0].Minute.ToString("HH:mm", CultureInfo.InvariantCulture));
            Text(svg, (x0 + x1) / 2, y0 + 16, "middle", minutes[minutes.Count / 2].Minute.ToString("HH:mm", CultureInfo.InvariantCulture));
            Text(svg, x1, y0 + 16, "end", minutes[^1].Minute.ToString("HH:mm 'UTC'", CultureInfo.InvariantCulture));
        }

        Text(svg, 12, (y0 + y1) / 2, "middle", "jobs / min", " transform=\"rotate(-90 12 " + ((y0 + y1) / 2).ToString(CultureInfo.InvariantCulture) + ")\"");
    }

    private static void Line(StringBuilder svg, IReadOnlyList<long> values, long max, string name, string colour)
    {
        var step = values.Count > 1 ? (double)(Width - Left - Right) / (values.Count - 1) : 0;
        var points = values.Select((v, i) => string.Create(CultureInfo.InvariantCulture,
            $"{Left + i * step:0.#},{Height - Bottom - (double)v / max * (Height - Top - Bottom):0.#}"));
        svg.Append(CultureInfo.InvariantCulture,
            $"<polyline class=\"series-{name}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(' ', points)}\"/>");
    }

    private static void Legend(StringBuilder svg, IReadOnlyList<QueueSnapshotMinute> minutes)
    {
        var (done, failed) = (minutes.Sum(m => m.Done), minutes.Sum(m => m.Failed));
        Text(svg, Width - Right, Top - 4, "end", $"done: {done} (green)  failed: {failed} (red)");
    }

    private static void Text(StringBuilder svg, int x, int y, string anchor, string text, string extra = "") =>
        svg.Append(CultureInfo.InvariantCulture,
            $"<text x=\"{x}\" y=\"{y}\" text-anchor=\"{anchor}\" font-size=\"11\" fill=\"#444\"{extra}>{WebUtility.HtmlEncode(text)}</text>");
}
