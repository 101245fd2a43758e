using System.Data;
using System.Data.Common;
using System.Reflection;
using System.Text.Json;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// <c>host queue …</c>: the operator's commands on the jobs of a database — list, stats, requeue, cancel, done,
/// enqueue — and the listings of its channels and job functions. The host has checked the options against
/// <see cref="Declaration"/> before connecting; what only the database reveals (an unknown model) is an
/// <see cref="ArgumentException"/> naming the option, which the host reports as bad usage.
/// </summary>
internal static partial class QueueCommand
{
    private const int DefaultLimit = 50;

    private const string List = """
        SELECT uuid, state, channel, priority, retry, max_retries, date_created, coalesce(func_string, '') AS task
        FROM queue_job
        WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR channel = $2)
        ORDER BY date_created DESC, id DESC
        LIMIT $3
        """;

    private const string Stats = """
        SELECT channel,
               count(*) FILTER (WHERE state IN ('pending', 'wait_dependencies')) AS pending,
               count(*) FILTER (WHERE state IN ('enqueued', 'started')) AS running,
               count(*) FILTER (WHERE state = 'failed') AS failed,
               count(*) FILTER (WHERE state = 'done' AND date_done > now() - interval '1 hour') AS done_last_hour
        FROM queue_job
        GROUP BY channel
        ORDER BY channel
        """;

    private static async Task<int> ListAsync(ParsedCommand command, Env env, TextWriter output)
    {
        await using var query = env.CreateCommand(List, command.Text("--state"), command.Text("--channel"), command.Integer("--limit") ?? DefaultLimit);
        await using var reader = await query.ExecuteReaderAsync();
        await output.WriteLineAsync("uuid                                  state              channel          prio tries  created              task");
        while (await reader.ReadAsync())
        {
            await output.WriteLineAsync(
                $"{reader.GetFieldValue<string>("uuid"),-37} {reader.GetFieldValue<string>("state"),-18} {reader.GetFieldValue<string>("channel"),-16} {reader.GetFieldValue<int>("priority"),4} " +
                $"{reader.GetFieldValue<int>("retry"),2}/{reader.GetFieldValue<int>("max_retries"),-2} {reader.GetFieldValue<DateTime>("date_created"):yyyy-MM-dd HH:mm:ss}  {reader.GetFieldValue<string>("task")}");
        }

        return 0;
    }

    private static async Task<int> StatsAsync(Env env, TextWriter output)
    {
        await using var query = env.CreateCommand(Stats);
        await using var reader = await query.ExecuteReaderAsync();
        await output.WriteLineAsync("channel                  pending  running   failed  done/hour");
        while (await reader.ReadAsync())
        {
            await output.WriteLineAsync(
                $"{reader.GetFieldValue<string>("channel"),-24} {reader.GetFieldValue<long>("pending"),7} {reader.GetFieldValue<long>("running"),8} {reader.GetFieldValue<long>("failed"),8} {reader.GetFieldValue<long>("done_last_hour"),10}");
        }

        return 0;
    }

    private static async Task<int> ActAsync(Env env, string verb, ParsedCommand command, TextWriter output)
    {
        var jobs = command.Text("--state") is { } state
            ? await env.Model<QueueJob>().SearchAsync("state = $1", state)
            : await env.Model<QueueJob>().SearchAsync("uuid = ANY($1)", command.Words("UUID").ToArray());
        var queueJobs = (QueueJob)jobs;
        await (verb switch { "requeue" => queueJobs.RequeueAsync(), "cancel" => queueJobs.CancelAsync(), _ => queueJobs.SetDoneAsync() });
        await output.WriteLineAsync($"{verb}: {jobs.Ids.Count} job(s)");
        return 0;
    }

    private static async Task<int> EnqueueAsync(ParsedCommand command, Env env, TextWriter output)
    {
        var model = command.Text("--model")!;
        if (!env.Registry.Contains(model))
        {
            throw new ArgumentException($"--model: no model '{model}' in the installed addons");
        }

        var ids = command.Integers("--ids").ToArray();
        var found = (await env[model].SearchAsync("id = ANY($1)", ids)).Ids;
        if (ids.Except(found).ToList() is { Count: > 0 } missing)
        {
            throw new ArgumentException($"--ids: no {model} record {string.Join(", ", missing)}");
        }

        var records = env[model].BrowseIds(ids);
        var (method, arguments) = Bind(env, records, model, command.Text("--method")!, command.Text("--args") ?? "[]");
        var options = new DelayOptions
        {
            Channel = command.Text("--channel"), Priority = command.Integer("--priority"), Description = command.Text("--description"),
            MaxRetries = command.Integer("--max-retries"),
            Eta = command.Text("--eta") is { } eta ? EtaText.Parse(eta, DateTime.UtcNow) : null,
            IdentityKey = command.Text("--identity-key") switch { null => null, "exact" => IdentityKey.Exact, var key => key },
        };
        var job = await JobEnqueuer.EnqueueAsync(new NewJob(records, new JobCall(method, arguments), options));
        await output.WriteLineAsync($"enqueued {job.Uuid}");
        return 0;
    }

    /// <summary>The method named and the <c>--args</c> array bound to its parameters, as a stored job binds them.</summary>
    private static (MethodInfo Method, object?[] Arguments) Bind(Env env, Model records, string model, string methodName, string json)
    {
        using var document = JsonDocument.Parse(json);
        var values = document.RootElement.EnumerateArray().ToList();
        try
        {
            return JobMethodBinder.Bind(records.GetType(), $"'{model}'", methodName, values,
                (value, parameter, i) => JobInvoker.Bind(value, parameter.ParameterType, env, $"argument {i + 1} '{parameter.Name}'"));
        }
        catch (JobBindingException e)
        {
            throw new ArgumentException($"--method/--args: {e.Message}", e);
        }
    }

    /// <summary>The text of a nullable column read by its name, or <paramref name="none"/> when it is null.</summary>
    private static string FieldOr(DbDataReader reader, string name, string none) => reader.IsDBNull(name) ? none : reader.GetString(name);
}
