using System.Text.Json;
using LinqToDB;
using LinqToDB.Async;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// One job as its page shows it, grouped as upstream's form (job, run, arguments, result, exception), with the
/// actions its state allows, its related action and its graph; the JSON form of the page is this record.
/// </summary>
internal sealed record JobPageData(
    string Uuid,
    string State,
    IReadOnlyList<string> AllowedActions,
    JobPageJob Job,
    JobPageRun Run,
    JobPageArguments Arguments,
    string? Result,
    JobPageException? Exception,
    JobPageRelated Related,
    JobGraphData? Graph)
{
    /// <summary>The job <paramref name="uuid"/>, or null when there is none.</summary>
    public static async Task<JobPageData?> ReadAsync(Env env, string uuid, RelatedActions relatedActions)
    {
        var found = await (
                from j in env.Query<QueueJobRow>()
                from u in env.Query<ResUserRow>().LeftJoin(u => u.Id == j.UserId)
                from f in env.Query<QueueJobFunctionRow>().LeftJoin(f => f.Id == j.JobFunctionId)
                where j.Uuid == uuid
                select new { Row = j, UserName = (string?)u.Name, Function = (string?)f.Name, RelatedAction = (string?)f.RelatedAction })
            .FirstOrDefaultAsync(env.CancellationToken);
        if (found is null)
        {
            return null;
        }

        var row = found.Row;
        return new JobPageData(
            row.Uuid,
            row.State,
            JobPageActions.AllowedIn(row.State),
            new JobPageJob(row.Name, row.FuncString, row.Channel, row.Priority, found.Function, row.IdentityKey, row.GraphUuid),
            new JobPageRun(row.Retry, row.MaxRetries, row.UserId, found.UserName, row.DateCreated, row.DateEnqueued, row.DateStarted, row.DateDone,
                row.DateCancelled, row.Eta, row.ExecTime, row.WorkerNode, row.WorkerPid),
            new JobPageArguments(row.ModelName, row.MethodName, Json(row.RecordIds), Json(row.Args), Json(row.Kwargs)),
            row.Result,
            row.ExcName is null && row.ExcMessage is null && row.ExcInfo is null ? null : new JobPageException(row.ExcName, row.ExcMessage, row.ExcInfo),
            JobPageRelated.Of(row.Uuid, found.RelatedAction, relatedActions),
            row.GraphUuid is null ? null : await JobGraphData.ReadAsync(env, row.GraphUuid));
    }

    private static JsonElement Json(string stored) => JsonSerializer.Deserialize<JsonElement>(stored);
}

/// <summary>What the job is: its description, call, channel, priority, function, identity key and graph.</summary>
internal sealed record JobPageJob(string? Description, string? FuncString, string Channel, int Priority, string? JobFunction, string? IdentityKey, string? GraphUuid);

/// <summary>How it ran: tries, who for, when each step happened, how long the last try took and where it ran.</summary>
internal sealed record JobPageRun(
    int Retry,
    int MaxRetries,
    long? UserId,
    string? UserName,
    DateTime DateCreated,
    DateTime? DateEnqueued,
    DateTime? DateStarted,
    DateTime? DateDone,
    DateTime? DateCancelled,
    DateTime? Eta,
    double? ExecTime,
    string? WorkerNode,
    int? WorkerPid);

/// <summary>What it is called on and with: the records (model and ids) and the arguments, as stored.</summary>
internal sealed record JobPageArguments(string Model, string Method, JsonElement RecordIds, JsonElement Args, JsonElement Kwargs);

/// <summary>The exception of its last failed try.</summary>
internal sealed record JobPageException(string? Name, string? Message, string? Traceback);
