using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PluginHost.Tests.Docs;

/// <summary>
/// Compiles the C# blocks of one markdown document as one compilation, the way <c>docs/sdk.md</c>'s opening comment
/// tells authors: a type declared in one block is usable in every other; a using directive of any block applies to
/// all (as a global using), besides an addon project's implicit usings; the statements outside a type of each block
/// are the body of an async method of their own with <c>Env env</c> and <c>Database database</c> in scope. Each
/// diagnostic is mapped back to the document and line it comes from (<c>#line</c>).
/// </summary>
internal static class SnippetCompilation
{
    /// <summary>The implicit usings of an addon project (Microsoft.NET.Sdk with <c>ImplicitUsings</c>).</summary>
    private static readonly string[] ImplicitUsings =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks"];

    /// <summary>The variables a block's statements may use, as the parameters of the method they are compiled in.</summary>
    private const string StatementParameters = "global::PluginHost.Sdk.Env env, global::PluginHost.Sdk.Database database";

    private static readonly CSharpParseOptions Parse = new(LanguageVersion.Latest);

    private static readonly CSharpCompilationOptions Options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
        .WithNullableContextOptions(NullableContextOptions.Enable)
        .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic>
        {
            // A block of statements without await is compiled in an async method all the same.
            ["CS1998"] = ReportDiagnostic.Suppress,
        });

    /// <summary>
    /// The errors and warnings of the blocks of <paramref name="document"/> (a path relative to the repository, used in
    /// messages), each as <c>document:line (block at line N): error CSnnnn: message</c>; empty when they compile cleanly.
    /// </summary>
    public static IReadOnlyList<string> Diagnose(string document, IReadOnlyList<MarkdownCodeBlock> blocks)
    {
        var usings = new List<(string Text, int Line)>();
        var trees = new List<SyntaxTree>();
        foreach (var (block, index) in blocks.Select((b, i) => (b, i)))
        {
            trees.Add(CSharpSyntaxTree.ParseText(Rewrite(document, block, index, usings), Parse, path: $"{document}#block{index + 1}"));
        }

        trees.Add(CSharpSyntaxTree.ParseText(GlobalUsings(document, usings), Parse, path: $"{document}#usings"));
        var compilation = CSharpCompilation.Create("DocSnippets", trees, SnippetReferences.All, Options);
        return compilation.GetDiagnostics()
            .Where(d => d.Severity >= DiagnosticSeverity.Warning)
            .OrderBy(d => d.Location.GetMappedLineSpan().StartLinePosition.Line)
            .Select(d => Describe(d, blocks))
            .ToList();
    }

    /// <summary>
    /// The block as a file of the compilation: its type declarations as written, its statements in a method, each part
    /// after a <c>#line</c> naming its place in the document. Its usings are moved to <paramref name="usings"/>.
    /// </summary>
    private static string Rewrite(string document, MarkdownCodeBlock block, int index, List<(string Text, int Line)> usings)
    {
        var root = CSharpSyntaxTree.ParseText(block.Code, Parse).GetCompilationUnitRoot();
        var text = root.SyntaxTree.GetText();
        string Part(SyntaxNode node) =>
            $"#line {block.Line + text.Lines.GetLineFromPosition(node.FullSpan.Start).LineNumber} \"{document}\"\n{node.ToFullString().TrimEnd()}\n";

        usings.AddRange(root.Usings.Select(u => (u.WithoutTrivia().ToString(), block.Line + text.Lines.GetLineFromPosition(u.SpanStart).LineNumber)));
        var file = new StringBuilder();
        foreach (var attributes in root.AttributeLists)
        {
            file.Append(Part(attributes));
        }

        foreach (var member in root.Members.Where(m => m is not GlobalStatementSyntax))
        {
            file.Append(Part(member));
        }

        var statements = root.Members.OfType<GlobalStatementSyntax>().ToList();
        if (statements.Count > 0)
        {
            file.Append($"#line hidden\ninternal static class DocSnippet{index + 1}\n{{\n    internal static async global::System.Threading.Tasks.Task RunAsync({StatementParameters})\n    {{\n");
            foreach (var statement in statements)
            {
                file.Append(Part(statement));
            }

            file.Append("#line hidden\n    }\n}\n");
        }

        return file.ToString();
    }

    /// <summary>The implicit usings and every block's usings, once each, as global usings.</summary>
    private static string GlobalUsings(string document, List<(string Text, int Line)> usings)
    {
        var file = new StringBuilder();
        foreach (var name in ImplicitUsings)
        {
            file.Append($"global using global::{name};\n");
        }

        foreach (var (text, line) in usings.DistinctBy(u => u.Text).Where(u => !ImplicitUsings.Any(name => u.Text == $"using {name};")))
        {
            file.Append($"#line {line} \"{document}\"\nglobal {text}\n");
        }

        return file.ToString();
    }

    private static string Describe(Diagnostic diagnostic, IReadOnlyList<MarkdownCodeBlock> blocks)
    {
        var place = diagnostic.Location.GetMappedLineSpan();
        var line = place.StartLinePosition.Line + 1;
        var block = blocks.LastOrDefault(b => b.Line <= line)?.Line ?? line;
        var severity = diagnostic.Severity == DiagnosticSeverity.Error ? "error" : "warning";
        return $"{place.Path}:{line} (block at line {block}): {severity} {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }
}
