using System.Globalization;
using System.Text;

namespace PluginHost.Tests.Support;

/// <summary>One sample line: its name, labels (unescaped) and value.</summary>
internal sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>One metric family: <c># HELP</c> (unescaped), <c># TYPE</c> and its samples, in exposition order.</summary>
internal sealed record PrometheusFamily(string Name, string Type, string? Help, IReadOnlyList<PrometheusSample> Samples);

/// <summary>
/// A strict parser of the Prometheus text exposition format 0.0.4, as its specification writes it: it throws
/// <see cref="FormatException"/> naming the line for any line a scraper would refuse (an escape other than <c>\\</c>,
/// <c>\"</c> or <c>\n</c> in a label value, other than <c>\\</c> or <c>\n</c> in a help text; a label or metric name out of
/// its grammar; a value that is no float; a family declared twice or split by another's samples; a duplicate series; a
/// histogram without its <c>+Inf</c> bucket, with buckets not cumulative, or a count other than its <c>+Inf</c> bucket).
/// </summary>
internal static class PrometheusText
{
    private static readonly HashSet<string> Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    public static IReadOnlyList<PrometheusFamily> Parse(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("the exposition must end with a line feed");
        }

        var families = new List<(string Name, string? Type, string? Help, List<PrometheusSample> Samples)>();
        var closed = new HashSet<string>(StringComparer.Ordinal);
        var series = new HashSet<string>(StringComparer.Ordinal);
        var lines = text.Split('\n');
        for (var number = 1; number < lines.Length; number++)
        {
            var line = lines[number - 1];
            try
            {
                ParseLine(line, families, closed, series);
            }
            catch (FormatException e)
            {
                throw new FormatException($"line {number} ({Quote(line)}): {e.Message}", e);
            }
        }

        var result = families.Select(f => new PrometheusFamily(f.Name, f.Type ?? "untyped", f.Help, f.Samples)).ToList();
        result.Where(f => f.Type == "histogram").ToList().ForEach(CheckHistogram);
        return result;
    }

    private static void ParseLine(string line, List<(string Name, string? Type, string? Help, List<PrometheusSample> Samples)> families,
        HashSet<string> closed, HashSet<string> series)
    {
        if (line.Trim(' ', '\t').Length == 0)
        {
            return;
        }

        if (line.StartsWith('#'))
        {
            var parts = line.Split(' ', 4);
            if (parts.Length >= 3 && parts[0] == "#" && parts[1] is "HELP" or "TYPE")
            {
                var family = FamilyFor(parts[2], families, closed);
                var rest = parts.Length == 4 ? parts[3] : "";
                if (parts[1] == "HELP")
                {
                    family.Help = family.Help is null ? UnescapeHelp(rest) : throw new FormatException($"second HELP for {parts[2]}");
                }
                else if (family.Type is not null || family.Samples.Count > 0)
                {
                    throw new FormatException($"TYPE for {parts[2]} after its samples or a first TYPE");
                }
                else
                {
                    family.Type = Types.Contains(rest) ? rest : throw new FormatException($"unknown type '{rest}'");
                }

                families[families.FindIndex(f => f.Name == family.Name)] = family;
            }

            return;
        }

        var sample = ParseSample(line);
        var familyName = FamilyNameOf(sample.Name, families);
        var owner = FamilyFor(familyName, families, closed);
        var key = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={Quote(l.Value)}")) + "}";
        if (!series.Add(key))
        {
            throw new FormatException($"duplicate series {key}");
        }

        owner.Samples.Add(sample);
    }

    /// <summary>The family a sample belongs to: its own name, or a histogram's or summary's with the suffix taken off.</summary>
    private static string FamilyNameOf(string name, List<(string Name, string? Type, string? Help, List<PrometheusSample> Samples)> families)
    {
        foreach (var suffix in new[] { "_bucket", "_sum", "_count" })
        {
            if (name.EndsWith(suffix, StringComparison.Ordinal) && families.Count > 0 && families[^1].Name == name[..^suffix.Length]
                && families[^1].Type is "histogram" or "summary")
            {
                return families[^1].Name;
            }
        }

        return name;
    }

    /// <summary>The open family named so (the last one), or a new one; a family whose lines ended may not start again.</summary>
    private static (string Name, string? Type, string? Help, List<PrometheusSample> Samples) FamilyFor(string name,
        List<(string Name, string? Type, string? Help, List<PrometheusSample> Samples)> families, HashSet<string> closed)
    {
        CheckName(name, metric: true);
        if (families.Count > 0 && families[^1].Name == name)
        {
            return families[^1];
        }

        if (families.Count > 0)
        {
            closed.Add(families[^1].Name);
        }

        if (!closed.Add(name))
        {
            throw new FormatException($"the lines of {name} are not together");
        }

        closed.Remove(name);
        families.Add((name, null, null, []));
        return families[^1];
    }

    private static PrometheusSample ParseSample(string line)
    {
        var position = 0;
        var name = ReadName(line, ref position, metric: true);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{')
        {
            position++;
            while (line[position] != '}')
            {
                var label = ReadName(line, ref position, metric: false);
                Expect(line, ref position, '=');
                Expect(line, ref position, '"');
                if (!labels.TryAdd(label, ReadLabelValue(line, ref position)))
                {
                    throw new FormatException($"label {label} twice");
                }

                if (line[position] == ',')
                {
                    position++;
                }
                else if (line[position] != '}')
                {
                    throw new FormatException($"',' or '}}' expected at column {position + 1}");
                }
            }

            position++;
        }

        var fields = line[position..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (position >= line.Length || line[position] != ' ' || fields.Length is < 1 or > 2)
        {
            throw new FormatException("a value (and an optional timestamp) after one space expected");
        }

        if (fields.Length == 2 && !long.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            throw new FormatException($"timestamp '{fields[1]}' is not an integer");
        }

        return new PrometheusSample(name, labels, ParseValue(fields[0]));
    }

    private static double ParseValue(string value) => value switch
    {
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ when value.All(c => char.IsAsciiDigit(c) || c is '.' or 'e' or 'E' or '+' or '-')
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => throw new FormatException($"value '{value}' is not a float"),
    };

    private static string ReadName(string line, ref int position, bool metric)
    {
        var start = position;
        while (position < line.Length && (char.IsAsciiLetterOrDigit(line[position]) || line[position] == '_' || (metric && line[position] == ':')))
        {
            position++;
        }

        var name = line[start..position];
        CheckName(name, metric);
        return name;
    }

    private static void CheckName(string name, bool metric)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]) || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c == '_' || (metric && c == ':'))))
        {
            throw new FormatException($"'{name}' is no {(metric ? "metric" : "label")} name");
        }
    }

    private static string ReadLabelValue(string line, ref int position)
    {
        var value = new StringBuilder();
        while (true)
        {
            if (position >= line.Length)
            {
                throw new FormatException("a label value is not closed");
            }

            var c = line[position++];
            if (c == '"')
            {
                return value.ToString();
            }

            if (c != '\\')
            {
                value.Append(c);
                continue;
            }

            value.Append(position < line.Length ? line[position++] switch
            {
                '\\' => '\\',
                '"' => '"',
                'n' => '\n',
                var other => throw new FormatException($"escape '\\{other}' in a label value"),
            } : throw new FormatException("a label value ends in a backslash"));
        }
    }

    private static string UnescapeHelp(string help)
    {
        var value = new StringBuilder();
        for (var i = 0; i < help.Length; i++)
        {
            if (help[i] != '\\')
            {
                value.Append(help[i]);
                continue;
            }

            value.Append(++i < help.Length ? help[i] switch
            {
                '\\' => '\\',
                'n' => '\n',
                var other => throw new FormatException($"escape '\\{other}' in a help text"),
            } : throw new FormatException("a help text ends in a backslash"));
        }

        return value.ToString();
    }

    private static void Expect(string line, ref int position, char expected)
    {
        if (position >= line.Length || line[position] != expected)
        {
            throw new FormatException($"'{expected}' expected at column {position + 1}");
        }

        position++;
    }

    /// <summary>Each series of a histogram: cumulative buckets ending in <c>+Inf</c>, equal to its count, and a sum.</summary>
    private static void CheckHistogram(PrometheusFamily family)
    {
        var bySeries = family.Samples.GroupBy(s => string.Join(",", s.Labels.Where(l => l.Key != "le").OrderBy(l => l.Key, StringComparer.Ordinal)
            .Select(l => $"{l.Key}={Quote(l.Value)}")));
        foreach (var one in bySeries)
        {
            var buckets = one.Where(s => s.Name == family.Name + "_bucket")
                .Select(s => (Bound: s.Labels.TryGetValue("le", out var le) ? ParseValue(le) : throw new FormatException($"{family.Name}{{{one.Key}}}: a bucket without le"), s.Value))
                .OrderBy(b => b.Bound).ToList();
            var count = one.SingleOrDefault(s => s.Name == family.Name + "_count")
                ?? throw new FormatException($"{family.Name}{{{one.Key}}}: no _count");
            _ = one.SingleOrDefault(s => s.Name == family.Name + "_sum") ?? throw new FormatException($"{family.Name}{{{one.Key}}}: no _sum");
            if (buckets.Count == 0 || !double.IsPositiveInfinity(buckets[^1].Bound) || buckets[^1].Value != count.Value)
            {
                throw new FormatException($"{family.Name}{{{one.Key}}}: the +Inf bucket is missing or differs from _count {count.Value}");
            }

            if (buckets.Zip(buckets.Skip(1)).Any(p => p.Second.Value < p.First.Value))
            {
                throw new FormatException($"{family.Name}{{{one.Key}}}: buckets are not cumulative");
            }
        }
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n") + "\"";
}
