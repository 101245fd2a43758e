using System.Xml;
using System.Xml.Linq;
using PluginHost.Sdk;

namespace PluginHost.Host.Manifests;

/// <summary>
/// Reads <c>manifest.xml</c>: an <c>&lt;addon&gt;</c> element with one child element per field; list fields
/// hold one <c>&lt;item&gt;</c> per value.
/// </summary>
public sealed class XmlManifestReader : IManifestReader
{
    public string FileName => "manifest.xml";

    public AddonManifest Read(string path)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(path, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new ManifestException(path, null, $"invalid XML at line {e.LineNumber}: {e.Message}");
        }

        var root = document.Root!;
        if (root.Name.LocalName != "addon")
        {
            throw new ManifestException(path, null, $"expected root element <addon>, got <{root.Name.LocalName}>.");
        }

        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var element in root.Elements())
        {
            var field = ManifestSchema.Field(path, element.Name.LocalName);
            if (values.ContainsKey(field.Name))
            {
                throw new ManifestException(path, field.Name, $"appears twice (line {((IXmlLineInfo)element).LineNumber}).");
            }

            values[field.Name] = Convert(path, field, element);
        }

        return ManifestSchema.Bind(path, values);
    }

    /// <summary>An <c>&lt;item&gt;</c> of a list of objects: one child element per key, its text trimmed.</summary>
    private static ManifestEntry Entry(string path, ManifestField field, XElement item, int index)
    {
        var line = ((IXmlLineInfo)item).LineNumber;
        if (item.Nodes().OfType<XText>().Any(t => !string.IsNullOrWhiteSpace(t.Value)))
        {
            throw new ManifestException(path, field.Name, $"entry {index + 1} (line {line}): expected one child element per key, got text.");
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in item.Elements())
        {
            var name = key.Name.LocalName;
            if (key.HasElements)
            {
                throw new ManifestException(path, field.Name, $"entry {index + 1} (line {line}): key '{name}': expected text, got child elements.");
            }

            if (!values.TryAdd(name, key.Value.Trim()))
            {
                throw new ManifestException(path, field.Name, $"entry {index + 1} (line {line}): key '{name}' appears twice.");
            }
        }

        return new ManifestEntry(values, $" (line {line})");
    }

    private static object Convert(string path, ManifestField field, XElement element)
    {
        var line = ((IXmlLineInfo)element).LineNumber;
        switch (field.Kind)
        {
            case ManifestFieldKind.TextList:
                if (element.Elements().Any(e => e.Name.LocalName != "item") || element.Nodes().OfType<XText>().Any(t => !string.IsNullOrWhiteSpace(t.Value)))
                {
                    throw new ManifestException(path, field.Name, $"expected {field.Expected} as <item> elements (line {line}).");
                }

                return element.Elements().Select(e => e.Value.Trim()).ToList();
            case ManifestFieldKind.EntryList:
                if (element.Elements().Any(e => e.Name.LocalName != "item") || element.Nodes().OfType<XText>().Any(t => !string.IsNullOrWhiteSpace(t.Value)))
                {
                    throw new ManifestException(path, field.Name, $"expected {field.Expected} as <item> elements (line {line}).");
                }

                return element.Elements().Select((item, i) => Entry(path, field, item, i)).ToList();
            case ManifestFieldKind.Boolean:
                return element.Value.Trim() switch
                {
                    "true" => true,
                    "false" => false,
                    var other => throw new ManifestException(path, field.Name, $"expected {field.Expected}, got '{other}' (line {line})."),
                };
            default:
                if (element.HasElements)
                {
                    throw new ManifestException(path, field.Name, $"expected {field.Expected} as text, got child elements (line {line}).");
                }

                return element.Value.Trim();
        }
    }
}
