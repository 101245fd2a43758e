using PluginHost.Host.Manifests;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Manifests;

/// <summary>Errors only one syntax can make: wrong JSON types, malformed XML lists and flags.</summary>
public sealed class ManifestFormatSpecificTests
{
    private TempAddons _addons = null!;

    [SetUp]
    public void CreateFolder() => _addons = new TempAddons();

    [TearDown]
    public void DeleteFolder() => _addons.Dispose();

    [TestCase("{ \"name\": \"typed\", \"version\": \"1.0\", \"depends\": \"web\" }", "depends", "array of strings")]
    [TestCase("{ \"name\": \"typed\", \"version\": \"1.0\", \"installable\": \"yes\" }", "installable", "true or false")]
    [TestCase("{ \"name\": \"typed\", \"version\": 1 }", "version", "string")]
    public void A_json_value_of_the_wrong_type_names_the_field_and_the_expected_type(string json, string name, string expected)
    {
        var path = _addons.Write("typed", "manifest.json", json);

        var error = Assert.Throws<ManifestException>(() => new JsonManifestReader().Read(path))!;

        Assert.That(error.Message, Does.Contain(path).And.Contain($"field '{name}'").And.Contain(expected));
    }

    [Test]
    public void Invalid_json_gives_the_line()
    {
        var path = _addons.Write("broken", "manifest.json", "{\n  \"name\": \"broken\",\n  \"version\" \"1.0\"\n}");

        Assert.That(() => new JsonManifestReader().Read(path), Throws.TypeOf<ManifestException>().With.Message.Contains("invalid JSON at line 3"));
    }

    [Test]
    public void An_xml_list_needs_item_elements()
    {
        var path = _addons.Write("listed", "manifest.xml", "<addon><name>listed</name><version>1.0</version><depends>web</depends></addon>");

        Assert.That(() => new XmlManifestReader().Read(path),
            Throws.TypeOf<ManifestException>().With.Message.Contains("field 'depends'").And.Message.Contains("<item>"));
    }

    [Test]
    public void An_xml_flag_must_be_true_or_false()
    {
        var path = _addons.Write("flagged", "manifest.xml", "<addon><name>flagged</name><version>1.0</version><auto_install>maybe</auto_install></addon>");

        Assert.That(() => new XmlManifestReader().Read(path),
            Throws.TypeOf<ManifestException>().With.Message.Contains("field 'auto_install'").And.Message.Contains("'maybe'"));
    }

    [Test]
    public void An_xml_manifest_needs_an_addon_root()
    {
        var path = _addons.Write("rooted", "manifest.xml", "<module><name>rooted</name></module>");

        Assert.That(() => new XmlManifestReader().Read(path), Throws.TypeOf<ManifestException>().With.Message.Contains("<addon>"));
    }
}
