using System.Globalization;
using System.Net;
using System.Text;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Draws a job graph as inline SVG (<c>svg#job-graph</c>): a box per job, coloured by the CSS class
/// <c>state-STATE</c>, linking to the job's page, and an arrow per dependency. Every text and attribute it writes is
/// escaped, so the page writes the drawing raw.
/// </summary>
internal static class JobGraphSvg
{
    private const int NodeWidth = 190;
    private const int NodeHeight = 44;
    private const int ColumnGap = 56;
    private const int RowGap = 14;
    private const int Margin = 8;
    private const int Label = 26;

    /// <summary>The drawing of <paramref name="graph"/>, with the job <paramref name="current"/> marked.</summary>
    public static string Draw(JobGraphData graph, string current)
    {
        var columns = graph.Nodes.Select(n => n.Depth).DefaultIfEmpty(0).Max() + 1;
        var rows = graph.Nodes.Select(n => n.Row).DefaultIfEmpty(0).Max() + 1;
        var (width, height) = (X(columns) - ColumnGap + Margin, Y(rows) - RowGap + Margin);
        var svg = new StringBuilder();
        svg.Append(Invariant($"<svg id=\"job-graph\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"Dependency graph of {graph.Nodes.Count} jobs\">"));
        svg.Append("<defs><marker id=\"job-graph-arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\"/></marker></defs>");
        var byUuid = graph.Nodes.ToDictionary(n => n.Uuid);
        foreach (var edge in graph.Edges)
        {
            Edge(svg, byUuid[edge.From], byUuid[edge.To]);
        }

        foreach (var node in graph.Nodes)
        {
            Node(svg, node, node.Uuid == current);
        }

        return svg.Append("</svg>").ToString();
    }

    private static void Edge(StringBuilder svg, JobGraphNode from, JobGraphNode to)
    {
        var (x1, y1) = (X(from.Depth) + NodeWidth, Y(from.Row) + NodeHeight / 2);
        var (x2, y2) = (X(to.Depth), Y(to.Row) + NodeHeight / 2);
        var bend = (x1 + x2) / 2;
        svg.Append(Invariant($"<path class=\"edge\" d=\"M{x1},{y1} C{bend},{y1} {bend},{y2} {x2},{y2}\" marker-end=\"url(#job-graph-arrow)\"/>"));
    }

    private static void Node(StringBuilder svg, JobGraphNode node, bool current)
    {
        var (x, y) = (X(node.Depth), Y(node.Row));
        var name = node.Name ?? node.Uuid;
        svg.Append($"<a href=\"/queue_job/jobs/{Escape(Uri.EscapeDataString(node.Uuid))}\"{(current ? " class=\"current\"" : "")}>");
        svg.Append($"<title>{Escape(name)} ({Escape(node.State)})</title>");
        svg.Append(Invariant($"<rect class=\"state-{Escape(node.State)}\" x=\"{x}\" y=\"{y}\" width=\"{NodeWidth}\" height=\"{NodeHeight}\" rx=\"6\"/>"));
        svg.Append(Invariant($"<text x=\"{x + 8}\" y=\"{y + 18}\">{Escape(Shortened(name))}</text>"));
        svg.Append(Invariant($"<text class=\"node-state\" x=\"{x + 8}\" y=\"{y + 36}\">{Escape(node.State)}</text>"));
        svg.Append("</a>");
    }

    private static int X(int column) => Margin + column * (NodeWidth + ColumnGap);

    private static int Y(int row) => Margin + row * (NodeHeight + RowGap);

    /// <summary>At most <see cref="Label"/> characters (the whole name is the node's tooltip).</summary>
    private static string Shortened(string name)
    {
        var runes = name.EnumerateRunes().ToList();
        return runes.Count <= Label ? name : string.Concat(runes.Take(Label - 1)) + "…";
    }

    private static string Escape(string text) => WebUtility.HtmlEncode(text);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
