using PluginHost.Tests.Support;

namespace PluginHost.Tests.Docs;

/// <summary>
/// Every C# block of README.md and docs/sdk.md compiles against the sdk and the bundled addons, as an addon would
/// (issue 13: the README's tutorial and the sdk page's examples compile as part of the test suite). The grouping
/// rule is written at the top of docs/sdk.md.
/// </summary>
public sealed class DocSnippetTests
{
    [TestCase("README.md")]
    [TestCase("docs/sdk.md")]
    public void Every_csharp_block_of_the_document_compiles(string document)
    {
        var blocks = MarkdownCodeBlock.ReadAll(document, File.ReadAllText(Path.Combine(RepoPaths.Root, document)));

        var diagnostics = SnippetCompilation.Diagnose(document, blocks);

        Assert.That(blocks, Is.Not.Empty, $"{document} has no csharp block: nothing was checked");
        Assert.That(diagnostics, Is.Empty, string.Join(Environment.NewLine, diagnostics));
    }

    [Test]
    public void A_block_with_a_type_error_fails_naming_the_document_the_line_and_the_error()
    {
        const string markdown = """
            # A page

            ```csharp
            var orders = env.Model<PluginHost.Sdk.Model>();
            int count = "three";
            ```
            """;

        var diagnostics = SnippetCompilation.Diagnose("docs/broken.md", MarkdownCodeBlock.ReadAll("docs/broken.md", markdown));

        Assert.That(diagnostics, Has.Count.EqualTo(1));
        Assert.That(diagnostics[0], Does.StartWith("docs/broken.md:5 (block at line 4): error CS0029:"));
    }

    [Test]
    public void A_type_declared_in_one_block_is_used_in_a_later_one_and_usings_apply_to_every_block()
    {
        const string markdown = """
            ```csharp
            using LinqToDB.Async;
            using LinqToDB.Mapping;
            using PluginHost.Sdk;

            [Table("note")]
            public class NoteRow : IModelRow
            {
                [Column("id"), PrimaryKey, Identity] public long Id { get; set; }
            }
            ```

            Then, in prose, a query:

            ```cs
            var notes = await env.Query<NoteRow>().ToListAsync(env.CancellationToken);
            var first = notes.FirstOrDefault()?.Id;
            ```
            """;

        var diagnostics = SnippetCompilation.Diagnose("docs/notes.md", MarkdownCodeBlock.ReadAll("docs/notes.md", markdown));

        Assert.That(diagnostics, Is.Empty, string.Join(Environment.NewLine, diagnostics));
    }

    [Test]
    public void Variables_of_one_block_do_not_carry_to_the_next()
    {
        const string markdown = """
            ```csharp
            var count = 1;
            ```

            ```csharp
            Console.WriteLine(count);
            ```
            """;

        var diagnostics = SnippetCompilation.Diagnose("docs/two.md", MarkdownCodeBlock.ReadAll("docs/two.md", markdown));

        Assert.That(diagnostics, Has.Some.StartsWith("docs/two.md:6 (block at line 6): error CS0103:"));
    }

    [Test]
    public void A_block_left_open_is_an_error_naming_its_line()
    {
        var read = () => MarkdownCodeBlock.ReadAll("docs/open.md", "text\n```csharp\nvar x = 1;\n");

        Assert.That(read, Throws.InvalidOperationException.With.Message.EqualTo("docs/open.md:2: a code block opened here is never closed."));
    }
}
