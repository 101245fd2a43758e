using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PluginHost.Sdk;

namespace PluginHost.Addons.Web.Internal;

/// <summary>Read-only pages of any model's records: <c>/web/record/{model}/{id}</c> and <c>/web/records/{model}?ids=1,2</c>.</summary>
internal sealed class RecordPages(Database database, PageRenderer pages, string templates) : IWebRoutes
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/web/record/{model}/{id:long}", (Func<HttpContext, string, long, Task<IResult>>)RecordAsync).RequireAuthorization();
        routes.MapGet("/web/records/{model}", (Func<HttpContext, string, string?, Task<IResult>>)RecordsAsync).RequireAuthorization();
    }

    private async Task<IResult> RecordAsync(HttpContext http, string model, long id)
    {
        var rows = await ReadAsync(http, model, [id]);
        return rows is [var row]
            ? await pages.PageAsync(Path.Combine(templates, "record.html"), $"{model} {id}", new { Fields = row.Select(f => new { Name = f.Key, Value = Show(f.Value) }) })
            : Results.NotFound($"No {model} record {id}.");
    }

    private async Task<IResult> RecordsAsync(HttpContext http, string model, string? ids)
    {
        var parts = (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var wanted = parts.Select(p => long.TryParse(p, out var id) ? id : -1).ToArray();
        if (wanted.Contains(-1))
        {
            return Results.BadRequest($"Parameter 'ids': expected comma-separated record ids, got '{ids}'.");
        }

        var rows = await ReadAsync(http, model, wanted);
        if (rows is null)
        {
            return Results.NotFound($"No model {model}.");
        }

        var columns = rows.FirstOrDefault()?.Keys.ToList() ?? [];
        return await pages.PageAsync(Path.Combine(templates, "records.html"), model, new
        {
            Model = model,
            Columns = columns,
            Rows = rows.Select(r => columns.Select(c => Show(r[c])).ToList()),
        });
    }

    private async Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>?> ReadAsync(HttpContext http, string model, long[] ids)
    {
        await using var env = await database.BeginAsync(http.Uid());
        if (!env.Registry.Contains(model))
        {
            return null;
        }

        return await env[model].BrowseIds(ids).ReadAsync();
    }

    private static string Show(object? value) => value switch
    {
        null => "",
        DateTime date => date.ToString("yyyy-MM-dd HH:mm:ss"),
        _ => value.ToString() ?? "",
    };
}
