using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PluginHost.Addons.Web;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Bulk requeue, set done and cancel of the jobs selected in the Jobs list, for Job Queue managers: the form
/// (<c>/queue_job/jobs/bulk</c>) asks for a confirmation, then acts and comes back to the list with a message; the JSON
/// endpoint (<c>/queue_job/jobs/bulk.json</c>, <c>{"action": "requeue", "ids": [1, 2]}</c>) acts at once.
/// </summary>
internal sealed class JobBulkPages(PageRenderer pages, string templates) : IWebRoutes
{
    private const string List = "/queue_job/jobs";

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/queue_job/jobs/bulk", (Func<HttpContext, Task<IResult>>)BulkFormAsync).RequireGroup(JobQueueAccess.ManagerGroup);
        routes.MapPost("/queue_job/jobs/bulk.json", (Func<HttpContext, Task<IResult>>)BulkJsonAsync).RequireGroup(JobQueueAccess.ManagerGroup);
    }

    private async Task<IResult> BulkFormAsync(HttpContext http)
    {
        var form = await http.Request.ReadFormAsync(http.RequestAborted);
        var back = LocalList(form["back"].ToString());
        JobBulkAction action;
        long[] ids;
        try
        {
            action = JobBulkAction.Named(form["action"].ToString());
            ids = Ids(form["ids"].Select(id => id ?? ""));
        }
        catch (JobListParameterException e)
        {
            return Results.Text(e.Message, statusCode: StatusCodes.Status400BadRequest);
        }

        await using var env = await http.Database().BeginAsync(http.Uid(), cancellationToken: http.RequestAborted);
        if (form["confirmed"] != "1")
        {
            var preview = await action.PreviewAsync(env, ids);
            return await pages.PageAsync(http, Path.Combine(templates, "jobs_bulk_confirm.html"), "Confirm",
                new { Action = action.Name, Title = Title(action, ids.Length), Preview = preview.Message, Ids = ids, Back = back });
        }

        var result = await action.RunAsync(env, ids);
        await env.CommitAsync();
        WebFlash.Add(http, result.Message, error: result.Done == 0);
        return Results.Redirect(back);
    }

    private async Task<IResult> BulkJsonAsync(HttpContext http)
    {
        JobBulkAction action;
        long[] ids;
        try
        {
            var body = await http.Request.ReadFromJsonAsync<JsonElement>(http.RequestAborted);
            action = JobBulkAction.Named(body.ValueKind == JsonValueKind.Object && body.TryGetProperty("action", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null);
            ids = body.TryGetProperty("ids", out var list) && list.ValueKind == JsonValueKind.Array && list.EnumerateArray().All(i => i.TryGetInt64(out _))
                ? Ids(list.EnumerateArray().Select(i => i.GetInt64().ToString(CultureInfo.InvariantCulture)))
                : throw new JobListParameterException("ids", "an array of job ids", list.ValueKind.ToString());
        }
        catch (Exception e) when (e is JobListParameterException or JsonException or InvalidOperationException or BadHttpRequestException)
        {
            var parameter = (e as JobListParameterException)?.Parameter ?? "body";
            var error = e is JobListParameterException ? e.Message : "body: expected a JSON object {\"action\": \"requeue|done|cancel\", \"ids\": [1, 2]}.";
            return Results.Json(new { Error = error, Parameter = parameter }, JobListPages.Json, statusCode: StatusCodes.Status400BadRequest);
        }

        await using var env = await http.Database().BeginAsync(http.Uid(), cancellationToken: http.RequestAborted);
        var result = await action.RunAsync(env, ids);
        await env.CommitAsync();
        return Results.Json(new { result.Done, Skipped = result.Skipped.Select(s => new { s.Id, s.Reason }), result.Message }, JobListPages.Json);
    }

    private static string Title(JobBulkAction action, int count) =>
        $"{(action == JobBulkAction.SetDone ? "Set to done" : action == JobBulkAction.Cancel ? "Cancel" : "Requeue")} {count} job{(count == 1 ? "" : "s")}?";

    private static long[] Ids(IEnumerable<string> values)
    {
        var ids = values.Select(v => long.TryParse(v, NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id > 0
            ? id
            : throw new JobListParameterException("ids", "job ids (positive integers)", v)).ToArray();
        return ids.Length > 0 ? ids : throw new JobListParameterException("ids", "at least one selected job", "");
    }

    /// <summary>Where to come back: the Jobs list with its filters, never another site (only a local path of the list).</summary>
    private static string LocalList(string back) =>
        (back == List || back.StartsWith(List + "?", StringComparison.Ordinal)) && !back.Contains('\\', StringComparison.Ordinal) ? back : List;
}
