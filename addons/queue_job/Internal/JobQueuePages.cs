using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PluginHost.Addons.Web;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>The Job Queue pages: the latest jobs as HTML (<c>/queue_job/jobs</c>) and JSON (<c>/queue_job/jobs.json</c>).</summary>
internal sealed class JobQueuePages(Database database, PageRenderer pages, string templates) : IWebRoutes
{
    /// <summary>How many jobs one page lists, newest first.</summary>
    public const int PageSize = 200;

    private const string LatestJobs = """
        SELECT id, uuid, name, func_string, state, channel, priority, retry, max_retries,
               date_created, date_enqueued, date_started, date_done, exec_time, exc_message, result
        FROM queue_job
        ORDER BY date_created DESC, id DESC
        LIMIT $1
        """;

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/queue_job/jobs", (Func<HttpContext, Task<IResult>>)JobsPageAsync).RequireAuthorization();
        routes.MapGet("/queue_job/jobs.json", (Func<HttpContext, Task<IResult>>)JobsJsonAsync).RequireAuthorization();
    }

    private async Task<IResult> JobsPageAsync(HttpContext http) =>
        await pages.PageAsync(Path.Combine(templates, "jobs.html"), "Jobs", new { Jobs = await LatestAsync(http.Uid()) });

    private async Task<IResult> JobsJsonAsync(HttpContext http) => Results.Json(await LatestAsync(http.Uid()));

    private async Task<IReadOnlyList<JobListRow>> LatestAsync(long uid)
    {
        await using var env = await database.BeginAsync(uid);
        await using var command = env.CreateCommand(LatestJobs, PageSize);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<JobListRow>();
        while (await reader.ReadAsync())
        {
            rows.Add(new JobListRow(
                reader.GetInt64(0), reader.GetString(1), Text(reader, 2), Text(reader, 3), reader.GetString(4), reader.GetString(5),
                reader.GetInt32(6), reader.GetInt32(7), reader.GetInt32(8), reader.GetDateTime(9), Date(reader, 10), Date(reader, 11),
                Date(reader, 12), reader.IsDBNull(13) ? null : reader.GetDouble(13), Text(reader, 14), Text(reader, 15)));
        }

        return rows;
    }

    private static string? Text(System.Data.Common.DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static DateTime? Date(System.Data.Common.DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetDateTime(column);
}
