using System.Xml;
using System.Xml.Linq;
using PluginHost.Sdk;

namespace PluginHost.Host.Data;

/// <summary>
/// Reads Odoo's XML data shape: <c>&lt;odoo&gt;</c> holding <c>&lt;record id model&gt;</c> elements, directly
/// or inside <c>&lt;data noupdate="1"&gt;</c>, each with <c>&lt;field name&gt;</c> children carrying text,
/// <c>ref</c> or <c>eval</c>.
/// </summary>
public sealed class XmlDataFileReader : IDataFileReader
{
    public string Extension => ".xml";

    public IReadOnlyList<DataRecord> Read(string path)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(path, LoadOptions.SetLineInfo);
        }
        catch (XmlException e)
        {
            throw new DataFileException(path, $"invalid XML at line {e.LineNumber}: {e.Message}");
        }

        if (document.Root!.Name.LocalName != "odoo")
        {
            throw new DataFileException(path, $"expected root element <odoo>, got <{document.Root.Name.LocalName}>.");
        }

        var records = new List<DataRecord>();
        foreach (var element in document.Root.Elements())
        {
            switch (element.Name.LocalName)
            {
                case "data":
                    var noUpdate = Flag(path, element, "noupdate");
                    records.AddRange(element.Elements().Select(e => Record(path, e, noUpdate)));
                    break;
                default:
                    records.Add(Record(path, element, false));
                    break;
            }
        }

        return records;
    }

    private static DataRecord Record(string path, XElement element, bool noUpdate)
    {
        var location = $"{path}:{((IXmlLineInfo)element).LineNumber}";
        if (element.Name.LocalName != "record")
        {
            throw new DataFileException(location, $"expected <record>, got <{element.Name.LocalName}>.");
        }

        Attributes(location, element, "id", "model", "noupdate");
        var id = Required(location, element, "id");
        var model = Required(location, element, "model");
        var fields = element.Elements().Select(field => Field($"{path}:{((IXmlLineInfo)field).LineNumber}: record '{id}'", field)).ToList();
        return new DataRecord(id, model, noUpdate || Flag(path, element, "noupdate"), fields, $"{location}: record '{id}'");
    }

    private static DataField Field(string location, XElement element)
    {
        if (element.Name.LocalName != "field")
        {
            throw new DataFileException(location, $"expected <field>, got <{element.Name.LocalName}>.");
        }

        Attributes(location, element, "name", "ref", "eval");
        var name = Required(location, element, "name");
        var reference = element.Attribute("ref")?.Value;
        var expression = element.Attribute("eval")?.Value;
        return (reference, expression) switch
        {
            (not null, not null) => throw new DataFileException(location, $"field '{name}': give either ref or eval, not both."),
            (not null, null) => new DataField(name, DataValueKind.Ref, reference),
            (null, not null) => new DataField(name, DataValueKind.Eval, expression),
            _ => new DataField(name, DataValueKind.Literal, element.Value),
        };
    }

    private static void Attributes(string location, XElement element, params string[] allowed)
    {
        foreach (var attribute in element.Attributes().Where(a => !a.IsNamespaceDeclaration && !allowed.Contains(a.Name.LocalName)))
        {
            throw new DataFileException(location, $"<{element.Name.LocalName}> has an unsupported attribute '{attribute.Name.LocalName}'; expected {string.Join(", ", allowed)}.");
        }
    }

    private static string Required(string location, XElement element, string attribute) =>
        element.Attribute(attribute)?.Value is { Length: > 0 } value
            ? value
            : throw new DataFileException(location, $"<{element.Name.LocalName}> needs a non-empty '{attribute}' attribute.");

    private static bool Flag(string path, XElement element, string attribute) => element.Attribute(attribute)?.Value switch
    {
        null or "0" or "false" or "False" => false,
        "1" or "true" or "True" => true,
        var other => throw new DataFileException($"{path}:{((IXmlLineInfo)element).LineNumber}", $"attribute '{attribute}': expected 1 or 0, got '{other}'."),
    };
}
