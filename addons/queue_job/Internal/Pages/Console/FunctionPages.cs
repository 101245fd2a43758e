using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PluginHost.Addons.Web;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The Job Functions screens, for Job Queue managers: the list (<c>/queue_job/functions</c>) and one function
/// (<c>/queue_job/functions/{id}</c>), whose channel, retry pattern and related action a manager edits. A form with an
/// error is shown again with each wrong field named (<see cref="FunctionForm"/>) and nothing stored; a saved one
/// redirects to the function with a message. The form says which addons declare the record: their update writes the
/// declared values again.
/// </summary>
internal sealed class FunctionPages(PageRenderer pages, RelatedActions relatedActions, string templates) : IWebRoutes
{
    private const string Functions = """
        SELECT f.id, f.name, f.channel_id, coalesce(c.complete_name, c.name) AS channel,
               f.retry_pattern::text AS retry_pattern, f.related_action::text AS related_action, f.timeout,
               coalesce(string_agg(DISTINCT d.module, ', ' ORDER BY d.module), '') AS declared_by
        FROM queue_job_function f
        JOIN queue_job_channel c ON c.id = f.channel_id
        LEFT JOIN ir_model_data d ON d.model = 'queue.job.function' AND d.res_id = f.id
        WHERE $1::bigint IS NULL OR f.id = $1
        GROUP BY f.id, c.id
        ORDER BY f.name
        """;

    private const string ChannelChoices = "SELECT id, coalesce(complete_name, name) AS complete_name FROM queue_job_channel ORDER BY complete_name";

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/queue_job/functions", (Func<HttpContext, Task<IResult>>)ListAsync).RequireGroup(JobQueueAccess.ManagerGroup);
        routes.MapGet("/queue_job/functions/{id:long}", (Func<HttpContext, long, Task<IResult>>)FormAsync).RequireGroup(JobQueueAccess.ManagerGroup);
        routes.MapPost("/queue_job/functions/{id:long}", (Func<HttpContext, long, Task<IResult>>)SaveAsync).RequireGroup(JobQueueAccess.ManagerGroup);
    }

    private async Task<IResult> ListAsync(HttpContext http)
    {
        await using var env = await http.Database().BeginAsync(http.Uid());
        return await pages.PageAsync(http, Path.Combine(templates, "functions.html"), "Job Functions", new { Functions = await ReadAsync(env, null) });
    }

    private async Task<IResult> FormAsync(HttpContext http, long id)
    {
        await using var env = await http.Database().BeginAsync(http.Uid());
        return (await ReadAsync(env, id)).SingleOrDefault() is { } function
            ? await RenderAsync(http, env, function, new FunctionForm(function.ChannelId.ToString(CultureInfo.InvariantCulture), function.RetryPattern,
                function.RelatedAction), new Dictionary<string, string>(), StatusCodes.Status200OK)
            : Results.NotFound($"No job function {id}.");
    }

    private async Task<IResult> SaveAsync(HttpContext http, long id)
    {
        var form = FunctionForm.From(await http.Request.ReadFormAsync(http.RequestAborted));
        await using var env = await http.Database().BeginAsync(http.Uid());
        if ((await ReadAsync(env, id)).SingleOrDefault() is not { } function)
        {
            return Results.NotFound($"No job function {id}.");
        }

        var channels = await ChannelsAsync(env);
        var errors = form.Errors(channels.Select(c => c.Id).ToList(), relatedActions.Names);
        if (errors.Count > 0)
        {
            return await RenderAsync(http, env, function, form, errors, StatusCodes.Status400BadRequest);
        }

        await env.Model<QueueJobFunction>().BrowseIds([id]).WriteAsync(form.Values);
        await env.CommitAsync();
        WebFlash.Add(http, $"Saved job function {function.Name}.");
        return Results.Redirect($"/queue_job/functions/{id}");
    }

    private async Task<IResult> RenderAsync(HttpContext http, Env env, FunctionListRow function, FunctionForm form, IReadOnlyDictionary<string, string> errors, int status) =>
        await pages.PageAsync(http, Path.Combine(templates, "function.html"), $"Job function {function.Name}", new
        {
            Function = function,
            Form = form,
            Channels = (await ChannelsAsync(env)).Select(c => new { c.Id, c.CompleteName, Selected = c.Id.ToString(CultureInfo.InvariantCulture) == form.ChannelId }),
            Errors = new
            {
                Channel = errors.GetValueOrDefault("channel_id"),
                RetryPattern = errors.GetValueOrDefault("retry_pattern"),
                RelatedAction = errors.GetValueOrDefault("related_action"),
            },
            HasErrors = errors.Count > 0,
            FunctionForm.RetryPatternExample,
            FunctionForm.RelatedActionExample,
        }, status);

    private static async Task<List<FunctionListRow>> ReadAsync(Env env, long? id)
    {
        var rows = new List<FunctionListRow>();
        await using var command = env.CreateCommand(Functions, id);
        await using var reader = await command.ExecuteReaderAsync(env.CancellationToken);
        while (await reader.ReadAsync(env.CancellationToken))
        {
            rows.Add(Row(reader));
        }

        return rows;
    }

    private static FunctionListRow Row(DbDataReader reader) =>
        new(reader.GetFieldValue<long>("id"), reader.GetFieldValue<string>("name"), reader.GetFieldValue<long>("channel_id"), reader.GetFieldValue<string>("channel"),
            reader.GetFieldValue<string>("retry_pattern"), reader.GetFieldValue<string>("related_action"),
            reader.IsDBNull("timeout") ? null : reader.GetFieldValue<int>("timeout"), reader.GetFieldValue<string>("declared_by"));

    private static async Task<List<ChannelChoice>> ChannelsAsync(Env env)
    {
        var channels = new List<ChannelChoice>();
        await using var command = env.CreateCommand(ChannelChoices);
        await using var reader = await command.ExecuteReaderAsync(env.CancellationToken);
        while (await reader.ReadAsync(env.CancellationToken))
        {
            channels.Add(new ChannelChoice(reader.GetFieldValue<long>("id"), reader.GetFieldValue<string>("complete_name")));
        }

        return channels;
    }

    /// <summary>A channel the form offers.</summary>
    private sealed record ChannelChoice(long Id, string CompleteName);
}
