using System.Reflection;
using System.Text.Json;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// <c>host queue …</c>: the operator's commands on the jobs of a database — list, stats, requeue, cancel, done,
/// enqueue — and the listings of its channels and job functions. Bad usage prints what was expected and exits with 2.
/// </summary>
internal sealed partial class QueueCommand : IAddonCommand
{
    private const string Usage = """
        usage: host queue list [--state STATE] [--channel CHANNEL] [--limit N]
               host queue stats
               host queue channels|functions
               host queue requeue|cancel|done (UUID... | --state STATE)
               host queue enqueue --model MODEL --method METHOD [--ids 1,2] [--args '[json, ...]'] [--channel C] [--priority N]
        """;

    private const string List = """
        SELECT uuid, state, channel, priority, retry, max_retries, date_created, coalesce(func_string, '')
        FROM queue_job
        WHERE ($1::text IS NULL OR state = $1) AND ($2::text IS NULL OR channel = $2)
        ORDER BY date_created DESC, id DESC
        LIMIT $3
        """;

    private const string Stats = """
        SELECT channel,
               count(*) FILTER (WHERE state IN ('pending', 'wait_dependencies')),
               count(*) FILTER (WHERE state IN ('enqueued', 'started')),
               count(*) FILTER (WHERE state = 'failed'),
               count(*) FILTER (WHERE state = 'done' AND date_done > now() - interval '1 hour')
        FROM queue_job
        GROUP BY channel
        ORDER BY channel
        """;

    public string Name => "queue";

    public string Summary => "list, stats, requeue, cancel, done, enqueue jobs; list channels, functions";

    public async Task<int> RunAsync(IReadOnlyList<string> args, Database database, TextWriter output)
    {
        try
        {
            var verb = args.Count > 0 ? args[0] : throw new ArgumentException("a sub-command is needed");
            var (words, flags) = Split(args.Skip(1).ToList());
            await using var env = await database.BeginAsync();
            var code = verb switch
            {
                "list" => await ListAsync(env, flags, output),
                "stats" => await StatsAsync(env, output),
                "channels" => await ChannelsAsync(env, output),
                "functions" => await FunctionsAsync(env, output),
                "requeue" or "cancel" or "done" => await ActAsync(env, verb, words, flags, output),
                "enqueue" => await EnqueueAsync(env, flags, output),
                _ => throw new ArgumentException($"unknown sub-command '{verb}'"),
            };
            await env.CommitAsync();
            return code;
        }
        catch (ArgumentException e)
        {
            await output.WriteLineAsync($"host queue: {e.Message}{Environment.NewLine}{Usage}");
            return 2;
        }
    }

    private static async Task<int> ListAsync(Env env, IReadOnlyDictionary<string, string> flags, TextWriter output)
    {
        var limit = flags.TryGetValue("limit", out var text) ? int.TryParse(text, out var n) && n > 0 ? n : throw new ArgumentException($"--limit: expected a positive number, got '{text}'") : 50;
        await using var command = env.CreateCommand(List, State(flags), flags.GetValueOrDefault("channel"), limit);
        await using var reader = await command.ExecuteReaderAsync();
        await output.WriteLineAsync("uuid                                  state              channel          prio tries  created              task");
        while (await reader.ReadAsync())
        {
            await output.WriteLineAsync($"{reader.GetString(0),-37} {reader.GetString(1),-18} {reader.GetString(2),-16} {reader.GetInt32(3),4} {reader.GetInt32(4),2}/{reader.GetInt32(5),-2} {reader.GetDateTime(6):yyyy-MM-dd HH:mm:ss}  {reader.GetString(7)}");
        }

        return 0;
    }

    private static async Task<int> StatsAsync(Env env, TextWriter output)
    {
        await using var command = env.CreateCommand(Stats);
        await using var reader = await command.ExecuteReaderAsync();
        await output.WriteLineAsync("channel                  pending  running   failed  done/hour");
        while (await reader.ReadAsync())
        {
            await output.WriteLineAsync($"{reader.GetString(0),-24} {reader.GetInt64(1),7} {reader.GetInt64(2),8} {reader.GetInt64(3),8} {reader.GetInt64(4),10}");
        }

        return 0;
    }

    private static async Task<int> ActAsync(Env env, string verb, IReadOnlyList<string> uuids, IReadOnlyDictionary<string, string> flags, TextWriter output)
    {
        var jobs = State(flags) is { } state
            ? await env.Model<QueueJob>().SearchAsync("state = $1", state)
            : uuids.Count > 0 ? await env.Model<QueueJob>().SearchAsync("uuid = ANY($1)", uuids.ToArray()) : throw new ArgumentException($"{verb} needs job uuids or --state");
        var queueJobs = (QueueJob)jobs;
        await (verb switch { "requeue" => queueJobs.RequeueAsync(), "cancel" => queueJobs.CancelAsync(), _ => queueJobs.SetDoneAsync() });
        await output.WriteLineAsync($"{verb}: {jobs.Ids.Count} job(s)");
        return 0;
    }

    private static async Task<int> EnqueueAsync(Env env, IReadOnlyDictionary<string, string> flags, TextWriter output)
    {
        var model = flags.GetValueOrDefault("model") ?? throw new ArgumentException("enqueue needs --model");
        var methodName = flags.GetValueOrDefault("method") ?? throw new ArgumentException("enqueue needs --method");
        if (!env.Registry.Contains(model))
        {
            throw new ArgumentException($"--model: no model '{model}' in the installed addons");
        }

        var ids = (flags.GetValueOrDefault("ids") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(i => long.TryParse(i, out var id) ? id : throw new ArgumentException($"--ids: '{i}' is not a record id")).ToArray();
        using var json = ParseArgs(flags.GetValueOrDefault("args") ?? "[]");
        var values = json.RootElement.ValueKind == JsonValueKind.Array ? json.RootElement.EnumerateArray().ToList() : throw new ArgumentException("--args: expected a JSON array");
        var found = (await env[model].SearchAsync("id = ANY($1)", ids)).Ids;
        if (ids.Except(found).ToList() is { Count: > 0 } missing)
        {
            throw new ArgumentException($"--ids: no {model} record {string.Join(", ", missing)}");
        }

        var records = env[model].BrowseIds(ids);
        MethodInfo method;
        object?[] arguments;
        try
        {
            (method, arguments) = JobMethodBinder.Bind(records.GetType(), $"'{model}'", methodName, values, (value, parameter, i) => JobInvoker.Bind(value, parameter.ParameterType, env, $"argument {i + 1} '{parameter.Name}'"));
        }
        catch (JobBindingException e)
        {
            throw new ArgumentException($"--method/--args: {e.Message}", e);
        }

        var options = new DelayOptions
        {
            Channel = flags.GetValueOrDefault("channel"),
            Priority = flags.TryGetValue("priority", out var p) ? int.TryParse(p, out var priority) ? priority : throw new ArgumentException($"--priority: expected a number, got '{p}'") : null,
        };
        var job = await JobEnqueuer.EnqueueAsync(new NewJob(records, new JobCall(method, arguments), options));
        await output.WriteLineAsync($"enqueued {job.Uuid}");
        return 0;
    }

    /// <summary>The <c>--args</c> flag as JSON; text that is not JSON is a usage error showing an example.</summary>
    private static JsonDocument ParseArgs(string text)
    {
        try
        {
            return JsonDocument.Parse(text);
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"--args: {text} is not JSON ({e.Message}); expected a JSON array such as '[\"note\", 3]'", e);
        }
    }

    /// <summary>The <c>--state</c> flag, one of the job states; null when not given.</summary>
    private static string? State(IReadOnlyDictionary<string, string> flags) =>
        !flags.TryGetValue("state", out var state) || JobState.All.Contains(state)
            ? state
            : throw new ArgumentException($"--state: '{state}' is not a job state; expected one of {string.Join(", ", JobState.All)}");

    private static (IReadOnlyList<string> Words, IReadOnlyDictionary<string, string> Flags) Split(IReadOnlyList<string> args)
    {
        var words = new List<string>();
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                words.Add(args[i]);
                continue;
            }

            var (name, value) = args[i][2..].Split('=', 2) is [var n, var v] ? (n, v) : (args[i][2..], i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value"));
            flags[name] = value;
        }

        return (words, flags);
    }
}
