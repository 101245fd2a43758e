using PluginHost.Tests.Support;

namespace PluginHost.Tests.Testing;

/// <summary>docs/testing-jobs.md shows the example test project's file as it is, so the page and the tested code cannot drift (issue 13, item 3).</summary>
public sealed class TestingDocTests
{
    private const string Example = "tests/MyShop.Tests/ShopOrderJobTests.cs";

    [Test]
    public void The_complete_example_of_testing_jobs_md_is_the_example_test_file()
    {
        var page = Lines(File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "testing-jobs.md")));
        var marker = page.IndexOf($"<!-- example: {Example} -->");
        Assert.That(marker, Is.GreaterThanOrEqualTo(0), $"docs/testing-jobs.md marks the example with <!-- example: {Example} -->");
        Assert.That(page[marker + 1], Is.EqualTo("```csharp"), "a C# code block follows the marker");
        var end = page.IndexOf("```", marker + 2);

        var shown = string.Join("\n", page.Skip(marker + 2).Take(end - marker - 2));

        Assert.That(shown, Is.EqualTo(string.Join("\n", Lines(File.ReadAllText(Path.Combine(RepoPaths.Root, Example))).SkipLast(1))));
    }

    private static List<string> Lines(string text) => text.ReplaceLineEndings("\n").Split('\n').ToList();
}
