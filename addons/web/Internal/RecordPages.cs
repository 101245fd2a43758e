using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PluginHost.Sdk;

namespace PluginHost.Addons.Web.Internal;

/// <summary>Read-only pages of any model's records: <c>/web/record/{model}/{id}</c> and <c>/web/records/{model}?ids=1,2</c>.</summary>
internal sealed class RecordPages(PageRenderer pages, string templates) : IWebRoutes
{
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/web/record/{model}/{id:long}", (Func<HttpContext, string, long, Task<IResult>>)RecordAsync).RequireAuthorization();
        routes.MapGet("/web/records/{model}", (Func<HttpContext, string, string?, Task<IResult>>)RecordsAsync).RequireAuthorization();
    }

    private const string MayRead = """
        SELECT EXISTS (
            SELECT 1 FROM ir_model_access a
            LEFT JOIN res_groups_users_rel r ON r.gid = a.group_id AND r.uid = $2
            WHERE a.model = $1 AND a.perm_read AND (a.group_id IS NULL OR r.uid IS NOT NULL))
        """;

    private async Task<IResult> RecordAsync(HttpContext http, string model, long id)
    {
        if (await RefusedAsync(http, model) is { } refused)
        {
            return refused;
        }

        var rows = await ReadAsync(http, model, [id]);
        return rows is [var row]
            ? await pages.PageAsync(http, Path.Combine(templates, "record.html"), $"{model} {id}", new { Fields = row.Select(f => new { Name = f.Key, Value = Show(f.Value) }) })
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

        if (await RefusedAsync(http, model) is { } refused)
        {
            return refused;
        }

        var rows = await ReadAsync(http, model, wanted);
        if (rows is null)
        {
            return Results.NotFound($"No model {model}.");
        }

        var columns = rows.FirstOrDefault()?.Keys.ToList() ?? [];
        return await pages.PageAsync(http, Path.Combine(templates, "records.html"), model, new
        {
            Model = model,
            Columns = columns,
            Rows = rows.Select(r => columns.Select(c => Show(r[c])).ToList()),
        });
    }

    /// <summary>
    /// 403 unless the user may read <paramref name="model"/>: an <c>ir.model.access</c> line for everyone or one of the
    /// user's groups, or the user is an administrator (<c>base.group_system</c>), who reads every model.
    /// </summary>
    private async Task<IResult?> RefusedAsync(HttpContext http, string model)
    {
        if (await http.HasGroupAsync(WebAccess.SystemGroup))
        {
            return null;
        }

        await using var env = await http.Database().BeginAsync(http.Uid(), cancellationToken: http.RequestAborted);
        return await env.ScalarAsync<bool>(MayRead, model, http.Uid())
            ? null
            : Results.Text($"You may not read {model} records: no access rule (ir.model.access) gives one of your groups read access.",
                statusCode: StatusCodes.Status403Forbidden);
    }

    private async Task<IReadOnlyList<IReadOnlyDictionary<string, object?>>?> ReadAsync(HttpContext http, string model, long[] ids)
    {
        await using var env = await http.Database().BeginAsync(http.Uid());
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
