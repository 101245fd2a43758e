using System.Collections.Immutable;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Runs one job through its states: claim (<c>enqueued → started</c>, committed), run in a new transaction that
/// also marks it <c>done</c>, or on error roll back and mark it <c>failed</c> in a transaction of its own.
/// </summary>
internal sealed class JobPerformer(Database database, ILogger<JobPerformer> logger)
{
    /// <summary>Runs the most urgent enqueued job, if any; false when there was none.</summary>
    public async Task<bool> RunNextAsync(CancellationToken cancellationToken)
    {
        var job = await ClaimAsync(cancellationToken);
        if (job is null)
        {
            return false;
        }

        try
        {
            await using var env = await database.BeginAsync(job.UserId ?? Env.SuperuserId, ImmutableDictionary<string, object?>.Empty.Add("job_uuid", job.Uuid));
            var result = await JobInvoker.InvokeAsync(env, job);
            await env.ExecuteAsync(JobStatements.SetDone, job.Id, result);
            await env.CommitAsync();
            logger.LogInformation("job {Uuid} {Model}.{Method} done", job.Uuid, job.ModelName, job.MethodName);
        }
        catch (Exception e)
        {
            logger.LogError(e, "job {Uuid} {Model}.{Method} failed", job.Uuid, job.ModelName, job.MethodName);
            await using var env = await database.BeginAsync();
            await env.ExecuteAsync(JobStatements.SetFailed, job.Id, e.GetType().FullName, e.Message, e.ToString());
            await env.CommitAsync();
        }

        return true;
    }

    private async Task<ClaimedJob?> ClaimAsync(CancellationToken cancellationToken)
    {
        await using var env = await database.BeginAsync(cancellationToken: cancellationToken);
        ClaimedJob? job = null;
        await using (var command = env.CreateCommand(JobStatements.ClaimEnqueued, Environment.ProcessId))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                job = new ClaimedJob(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                    JsonDocument.Parse(reader.GetString(4)).RootElement, JsonDocument.Parse(reader.GetString(5)).RootElement,
                    reader.IsDBNull(6) ? null : reader.GetInt64(6));
            }
        }

        await env.CommitAsync();
        return job;
    }
}
