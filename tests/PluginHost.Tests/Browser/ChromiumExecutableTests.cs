namespace PluginHost.Tests.Browser;

/// <summary>Without Chromium the browser tests fail, saying how to install it; they never skip.</summary>
public sealed class ChromiumExecutableTests
{
    private string _folder = null!;

    [SetUp]
    public void MakeFolder() => Directory.CreateDirectory(_folder = Path.Combine(Path.GetTempPath(), "chromium-" + Guid.NewGuid().ToString("N")));

    [TearDown]
    public void RemoveFolder() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Without_chromium_on_the_path_the_error_says_how_to_install_it() =>
        Assert.That(() => ChromiumExecutable.Locate(null, _folder),
            Throws.TypeOf<ChromiumNotFoundException>().With.Message.Contains("apt-get install -y chromium").And.Message.Contains(ChromiumExecutable.Variable));

    [Test]
    public void A_configured_path_that_does_not_exist_is_an_error_naming_the_variable() =>
        Assert.That(() => ChromiumExecutable.Locate(Path.Combine(_folder, "nothing"), _folder),
            Throws.TypeOf<ChromiumNotFoundException>().With.Message.StartsWith($"{ChromiumExecutable.Variable}="));

    [Test]
    public void Chromium_is_found_in_a_folder_of_the_path()
    {
        var chromium = Path.Combine(_folder, "chromium");
        File.WriteAllText(chromium, "");

        Assert.That(ChromiumExecutable.Locate("", $"/nonexistent{Path.PathSeparator}{_folder}"), Is.EqualTo(chromium));
    }
}
