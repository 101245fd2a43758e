using System.Data;
using System.Data.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PluginHost.Addons.Web;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// The Channels screens, for Job Queue managers: the list (<c>/queue_job/channels</c>) and one channel
/// (<c>/queue_job/channels/{id}</c>), each record with the addons that declare it and its jobs from the shared
/// <see cref="QueueSnapshot"/>. Channels are data records: they are changed by the addons that declare them.
/// </summary>
internal sealed class ChannelPages(QueueSnapshots snapshots, PageRenderer pages, string templates) : IWebRoutes
{
    private const string Channels = """
        SELECT c.id, c.name, coalesce(c.complete_name, c.name) AS complete_name, c.parent_id, p.complete_name AS parent, c.removal_interval,
               coalesce(string_agg(DISTINCT d.module, ', ' ORDER BY d.module), '') AS declared_by
        FROM queue_job_channel c
        LEFT JOIN queue_job_channel p ON p.id = c.parent_id
        LEFT JOIN ir_model_data d ON d.model = 'queue.job.channel' AND d.res_id = c.id
        WHERE $1::bigint IS NULL OR c.id = $1 OR c.parent_id = $1
        GROUP BY c.id, p.id
        ORDER BY complete_name
        """;

    private const string FunctionsOfChannel = "SELECT id, name FROM queue_job_function WHERE channel_id = $1 ORDER BY name";

    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/queue_job/channels", (Func<HttpContext, Task<IResult>>)ListAsync).RequireGroup(JobQueueAccess.ManagerGroup);
        routes.MapGet("/queue_job/channels/{id:long}", (Func<HttpContext, long, Task<IResult>>)FormAsync).RequireGroup(JobQueueAccess.ManagerGroup);
    }

    private async Task<IResult> ListAsync(HttpContext http)
    {
        var snapshot = await snapshots.For(http.Database()).CurrentAsync();
        await using var env = await http.Database().BeginAsync(http.Uid());
        var channels = await ReadAsync(env, null, snapshot);
        return await pages.PageAsync(http, Path.Combine(templates, "channels.html"), "Channels", new { snapshot.Version, Channels = channels });
    }

    private async Task<IResult> FormAsync(HttpContext http, long id)
    {
        var snapshot = await snapshots.For(http.Database()).CurrentAsync();
        await using var env = await http.Database().BeginAsync(http.Uid());
        var rows = await ReadAsync(env, id, snapshot);
        if (rows.FirstOrDefault(r => r.Id == id) is not { } channel)
        {
            return Results.NotFound($"No channel {id}.");
        }

        var functions = new List<object>();
        await using (var command = env.CreateCommand(FunctionsOfChannel, id))
        await using (var reader = await command.ExecuteReaderAsync(env.CancellationToken))
        {
            while (await reader.ReadAsync(env.CancellationToken))
            {
                functions.Add(new { Id = reader.GetFieldValue<long>("id"), Name = reader.GetFieldValue<string>("name") });
            }
        }

        return await pages.PageAsync(http, Path.Combine(templates, "channel.html"), $"Channel {channel.CompleteName}", new
        {
            snapshot.Version,
            Channel = channel,
            Children = rows.Where(r => r.Id != id).ToList(),
            Functions = functions,
        });
    }

    /// <summary>The channels (all, or <paramref name="id"/> and its children), with their jobs in <paramref name="snapshot"/>.</summary>
    private static async Task<List<ChannelListRow>> ReadAsync(Env env, long? id, QueueSnapshotData snapshot)
    {
        var jobs = snapshot.Channels.ToDictionary(c => c.Channel, StringComparer.Ordinal);
        var rows = new List<ChannelListRow>();
        await using var command = env.CreateCommand(Channels, id);
        await using var reader = await command.ExecuteReaderAsync(env.CancellationToken);
        while (await reader.ReadAsync(env.CancellationToken))
        {
            rows.Add(Row(reader, jobs));
        }

        return rows;
    }

    private static ChannelListRow Row(DbDataReader reader, Dictionary<string, ChannelJobCounts> jobs)
    {
        var name = reader.GetFieldValue<string>("complete_name");
        var counts = jobs.GetValueOrDefault(name) ?? new ChannelJobCounts(name, 0, 0, 0, 0, 0);
        return new ChannelListRow(reader.GetFieldValue<long>("id"), reader.GetFieldValue<string>("name"), name,
            reader.IsDBNull("parent_id") ? null : reader.GetFieldValue<long>("parent_id"), reader.IsDBNull("parent") ? null : reader.GetFieldValue<string>("parent"),
            reader.GetFieldValue<int>("removal_interval"), reader.GetFieldValue<string>("declared_by"), counts);
    }
}
