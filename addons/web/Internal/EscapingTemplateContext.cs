using System.Net;
using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace PluginHost.Addons.Web.Internal;

/// <summary>
/// A Scriban context that HTML-escapes every value a template writes (<c>{{ value }}</c>), so no forgotten pipe can
/// let markup through; a template asks for raw output explicitly with <c>{{ html | raw }}</c>.
/// </summary>
internal sealed class EscapingTemplateContext : TemplateContext
{
    public EscapingTemplateContext(ScriptObject globals)
    {
        StrictVariables = true;
        globals.Import("raw", new Func<object?, RawHtml>(value => new RawHtml(value is RawHtml raw ? raw.Html : ObjectToString(value) ?? "")));
        PushGlobal(globals);
    }

    public override TemplateContext Write(SourceSpan span, object? textAsObject) => Write(Escaped(textAsObject));

    public override ValueTask<TemplateContext> WriteAsync(SourceSpan span, object? textAsObject) => WriteAsync(Escaped(textAsObject));

    private string Escaped(object? value) => value is RawHtml raw ? raw.Html : WebUtility.HtmlEncode(ObjectToString(value) ?? "");

    /// <summary>Markup a template writes as it is (<c>{{ html | raw }}</c>).</summary>
    private sealed record RawHtml(string Html);
}
