using System.Collections.Concurrent;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Scriban;
using PluginHost.Addons.Web.Internal;
using Scriban.Runtime;

namespace PluginHost.Addons.Web;

/// <summary>
/// Renders pages from Scriban templates kept in addon folders, inside the web addon's layout (header, the menus the
/// user may see, flash messages, styles). Templates are parsed once and cached. Every value a template writes is
/// HTML-escaped; markup is written as it is only where the template says so (<c>{{ html | raw }}</c>). Model members
/// are exposed in snake_case (<c>DateCreated</c> becomes <c>date_created</c>). Every template also sees
/// <c>csrf_token</c>, the antiforgery token each form posts as a hidden <c>csrf_token</c> field.
/// </summary>
public sealed class PageRenderer(string layoutPath, IEnumerable<WebMenu> menus)
{
    private readonly ConcurrentDictionary<string, Template> _templates = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<WebMenu> _menus = menus.OrderBy(m => m.Sequence).ThenBy(m => m.Name).ToList();

    /// <summary>The page rendered from <paramref name="templatePath"/> (absolute) with <paramref name="model"/>, in the layout, for the request <paramref name="http"/>.</summary>
    public async Task<IResult> PageAsync(HttpContext http, string templatePath, string title, object? model, int statusCode = StatusCodes.Status200OK)
    {
        var token = http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http).RequestToken ?? "";
        var groups = await http.GroupsAsync();
        var loggedIn = http.User.Identity?.IsAuthenticated == true;
        var content = await RenderAsync(templatePath, model, token);
        var page = await RenderAsync(layoutPath, new
        {
            Title = title,
            Content = content,
            Menus = loggedIn ? _menus.Where(m => m.Group is null || groups.Contains(m.Group)).ToList() : [],
            UserName = loggedIn ? http.User.Identity!.Name ?? "" : "",
            DatabaseName = loggedIn ? http.Database().Name : "",
            Flash = WebFlash.Take(http),
        }, token);
        return Results.Content(page, "text/html; charset=utf-8", statusCode: statusCode);
    }

    /// <summary>Renders one template with a model, without the layout; <paramref name="csrfToken"/> is its <c>csrf_token</c>.</summary>
    public async Task<string> RenderAsync(string templatePath, object? model, string csrfToken = "")
    {
        var template = _templates.GetOrAdd(templatePath, Parse);
        var globals = new ScriptObject { ["csrf_token"] = csrfToken };
        if (model is not null)
        {
            globals.Import(model);
        }

        return await template.RenderAsync(new EscapingTemplateContext(globals));
    }

    private static Template Parse(string path)
    {
        var template = Template.Parse(File.ReadAllText(path), path);
        return template.HasErrors
            ? throw new InvalidOperationException($"Template {path} has errors: {string.Join("; ", template.Messages)}")
            : template;
    }
}
