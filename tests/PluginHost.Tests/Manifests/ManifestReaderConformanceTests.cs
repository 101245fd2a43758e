using PluginHost.Host.Manifests;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Manifests;

/// <summary>The one suite both manifest formats pass: same fields, same checks, same errors.</summary>
[TestFixture(typeof(JsonFormat))]
[TestFixture(typeof(XmlFormat))]
public sealed class ManifestReaderConformanceTests<TFormat> where TFormat : ManifestFormat, new()
{
    private readonly TFormat _format = new();
    private TempAddons _addons = null!;

    [SetUp]
    public void CreateFolder() => _addons = new TempAddons();

    [TearDown]
    public void DeleteFolder() => _addons.Dispose();

    [Test]
    public void A_complete_manifest_reads_every_field()
    {
        _addons.Write("sale_jobs", "data/channels.xml", "<odoo/>");
        var manifest = Read("sale_jobs", new Dictionary<string, object>
        {
            ["name"] = "sale_jobs", ["version"] = "16.0.1.2", ["summary"] = "Sale jobs", ["depends"] = new[] { "queue_job", "web" },
            ["data"] = new[] { "data/channels.xml" }, ["assembly"] = "bin/SaleJobs.dll", ["installable"] = false,
            ["auto_install"] = true, ["license"] = "LGPL-3", ["author"] = "Someone",
        });

        Assert.Multiple(() =>
        {
            Assert.That(manifest.Name, Is.EqualTo("sale_jobs"));
            Assert.That(manifest.Version, Is.EqualTo("16.0.1.2"));
            Assert.That(manifest.Summary, Is.EqualTo("Sale jobs"));
            Assert.That(manifest.Depends, Is.EqualTo(new[] { "queue_job", "web" }));
            Assert.That(manifest.Data, Is.EqualTo(new[] { "data/channels.xml" }));
            Assert.That(manifest.Assembly, Is.EqualTo("bin/SaleJobs.dll"));
            Assert.That(manifest.Installable, Is.False);
            Assert.That(manifest.AutoInstall, Is.True);
            Assert.That(manifest.License, Is.EqualTo("LGPL-3"));
            Assert.That(manifest.Author, Is.EqualTo("Someone"));
        });
    }

    [Test]
    public void Optional_fields_take_their_defaults()
    {
        var manifest = Read("plain", Minimal("plain"));

        Assert.That((manifest.Depends, manifest.Data, manifest.Assembly, manifest.Installable, manifest.AutoInstall),
            Is.EqualTo(((IReadOnlyList<string>)[], (IReadOnlyList<string>)[], (string?)null, true, false)));
    }

    [Test]
    public void A_typo_in_a_field_name_names_the_file_the_field_and_the_likely_field()
    {
        var fields = Minimal("typo");
        fields["dependz"] = new[] { "web" };

        var error = ReadFails("typo", fields);

        Assert.That(error.Message, Does.Contain(Path.Combine(_addons.Path, "typo")).And.Contain("field 'dependz'").And.Contain("did you mean 'depends'"));
        Assert.That(error.Field, Is.EqualTo("dependz"));
    }

    [TestCase("name")]
    [TestCase("version")]
    public void A_missing_required_field_is_named(string field)
    {
        var fields = Minimal("partial");
        fields.Remove(field);

        Assert.That(ReadFails("partial", fields).Message, Does.Contain($"field '{field}': is required"));
    }

    [Test]
    public void The_name_must_be_a_technical_name()
    {
        Assert.That(ReadFails("Bad-Name", Minimal("Bad-Name")).Message, Does.Contain("field 'name'").And.Contain("technical name"));
    }

    [Test]
    public void The_name_must_match_the_folder()
    {
        Assert.That(ReadFails("folder_name", Minimal("other_name")).Message, Does.Contain("field 'name'").And.Contain("folder name 'folder_name'"));
    }

    [Test]
    public void The_version_must_be_dotted_digits()
    {
        var fields = Minimal("versioned");
        fields["version"] = "one";

        Assert.That(ReadFails("versioned", fields).Message, Does.Contain("field 'version'").And.Contain("'one'"));
    }

    [Test]
    public void A_data_file_that_does_not_exist_is_named()
    {
        var fields = Minimal("with_data");
        fields["data"] = new[] { "data/missing.xml" };

        Assert.That(ReadFails("with_data", fields).Message, Does.Contain("field 'data'").And.Contain("data/missing.xml"));
    }

    [Test]
    public void A_data_file_must_be_xml_or_json()
    {
        _addons.Write("csv_data", "data/rows.csv", "a,b");
        var fields = Minimal("csv_data");
        fields["data"] = new[] { "data/rows.csv" };

        Assert.That(ReadFails("csv_data", fields).Message, Does.Contain("field 'data'").And.Contain(".xml or .json"));
    }

    [Test]
    public void An_addon_cannot_depend_on_itself()
    {
        var fields = Minimal("selfish");
        fields["depends"] = new[] { "selfish" };

        Assert.That(ReadFails("selfish", fields).Message, Does.Contain("field 'depends'").And.Contain("itself"));
    }

    [Test]
    public void The_assembly_must_be_a_dll()
    {
        var fields = Minimal("exe_addon");
        fields["assembly"] = "bin/Addon.exe";

        Assert.That(ReadFails("exe_addon", fields).Message, Does.Contain("field 'assembly'"));
    }

    private static Dictionary<string, object> Minimal(string name) => new() { ["name"] = name, ["version"] = "1.0" };

    private PluginHost.Sdk.AddonManifest Read(string folder, IReadOnlyDictionary<string, object> fields)
    {
        var directory = Path.Combine(_addons.Path, folder);
        Directory.CreateDirectory(directory);
        return _format.Reader.Read(_format.Write(directory, fields));
    }

    private ManifestException ReadFails(string folder, IReadOnlyDictionary<string, object> fields) =>
        Assert.Throws<ManifestException>(() => Read(folder, fields))!;
}
