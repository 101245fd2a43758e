using System.Text.Json;
using System.Xml.Linq;
using PluginHost.Host.Manifests;

namespace PluginHost.Tests.Manifests;

/// <summary>Writes a manifest with given fields in one format, and gives the reader of that format.</summary>
public abstract class ManifestFormat
{
    public abstract IManifestReader Reader { get; }

    /// <summary>Writes the manifest file into <paramref name="folder"/> and returns its path.</summary>
    public abstract string Write(string folder, IReadOnlyDictionary<string, object> fields);

    public override string ToString() => GetType().Name;
}

public sealed class JsonFormat : ManifestFormat
{
    public override IManifestReader Reader { get; } = new JsonManifestReader();

    public override string Write(string folder, IReadOnlyDictionary<string, object> fields)
    {
        var path = Path.Combine(folder, "manifest.json");
        File.WriteAllText(path, JsonSerializer.Serialize(fields));
        return path;
    }
}

public sealed class XmlFormat : ManifestFormat
{
    public override IManifestReader Reader { get; } = new XmlManifestReader();

    public override string Write(string folder, IReadOnlyDictionary<string, object> fields)
    {
        var path = Path.Combine(folder, "manifest.xml");
        var root = new XElement("addon", fields.Select(f => f.Value switch
        {
            string[] items => new XElement(f.Key, items.Select(i => new XElement("item", i))),
            bool flag => new XElement(f.Key, flag ? "true" : "false"),
            var value => new XElement(f.Key, value.ToString()),
        }));
        root.Save(path);
        return path;
    }
}
