using System.ComponentModel;
using System.Data;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>One job to store: the call, its properties, and its place in a graph.</summary>
internal sealed record NewJob(Model Records, JobCall Call, DelayOptions Options)
{
    public string Uuid { get; init; } = Guid.NewGuid().ToString();

    public string? GraphUuid { get; init; }

    public IReadOnlyList<string> DependsOn { get; init; } = [];

    public IReadOnlyList<string> ReverseDependsOn { get; init; } = [];
}

/// <summary>
/// Stores captured calls as jobs in the caller's transaction, any number in one statement: if the caller rolls back,
/// no job exists. A job with parents waits in <c>wait_dependencies</c>, others are <c>pending</c>. A job whose identity
/// key already waits (in the table, or earlier among the jobs stored together) is not stored: that job is returned.
/// </summary>
internal static class JobEnqueuer
{
    private const int IdentityKeyAttempts = 5;

    public static async Task<DelayedJob> EnqueueAsync(NewJob job) => (await EnqueueAsync([job]))[0];

    /// <summary>
    /// Delays the jobs as the delay API does: into the active <see cref="Testing.JobsTrap"/> if any, run at once in
    /// no-delay mode (all of them, in graph order, when any of their environments asks for it), else stored.
    /// Returns one <see cref="DelayedJob"/> per job, in order.
    /// </summary>
    public static async Task<IReadOnlyList<DelayedJob>> DelayAsync(IReadOnlyList<NewJob> jobs)
    {
        if (Testing.JobsTrap.Current is { } trap)
        {
            return trap.Add(jobs);
        }

        if (jobs.Any(j => NoDelay.IsOn(j.Records.Env)))
        {
            var ran = (await NoDelay.RunAsync(jobs)).ToDictionary(j => j.Uuid, StringComparer.Ordinal);
            return jobs.Select(j => ran[j.Uuid]).ToList();
        }

        return await EnqueueAsync(jobs);
    }

    /// <summary>Stores the jobs, all of one transaction, and returns one <see cref="DelayedJob"/> per job, in order.</summary>
    public static async Task<IReadOnlyList<DelayedJob>> EnqueueAsync(IReadOnlyList<NewJob> jobs)
    {
        var env = jobs[0].Records.Env;
        if (jobs.Any(j => j.Records.Env.Transaction != env.Transaction))
        {
            throw new InvalidOperationException("Jobs stored together must be delayed from records of one transaction.");
        }

        var rows = jobs.Select(Row).ToList();
        var stored = new Dictionary<string, DelayedJob>(StringComparer.Ordinal);
        await InsertAsync(env, rows, job => stored[job.Uuid] = job);

        // A job holding a key may leave the waiting states between the insert and the look-up: then try again.
        for (var attempt = 1; rows.Any(r => !stored.ContainsKey(r.Uuid)); attempt++)
        {
            var missing = rows.Where(r => !stored.ContainsKey(r.Uuid)).ToList();
            if (attempt == IdentityKeyAttempts)
            {
                throw new InvalidOperationException($"Jobs with identity keys {string.Join(", ", missing.Select(r => $"'{r.IdentityKey}'"))} were neither inserted nor found after {attempt} attempts.");
            }

            var holders = new Dictionary<string, DelayedJob>(StringComparer.Ordinal);
            await ReadJobsAsync(env, EnqueueStatements.FindByIdentityKeys, [missing.Select(r => r.IdentityKey).Distinct().ToArray()], (job, key) => holders[key!] = job);
            foreach (var row in missing.Where(r => holders.ContainsKey(r.IdentityKey!)))
            {
                stored[row.Uuid] = holders[row.IdentityKey!];
            }

            var retry = rows.Where(r => !stored.ContainsKey(r.Uuid)).ToList();
            if (retry.Count > 0)
            {
                await InsertAsync(env, retry, job => stored[job.Uuid] = job);
            }
        }

        return rows.Select(r => stored[r.Uuid]).ToList();
    }

    /// <summary>A job's column values, as <see cref="EnqueueStatements.InsertJobs"/> stores them.</summary>
    private sealed record JobRow(
        string Uuid, long UserId, string Name, string ModelName, string MethodName, string RecordIds, string Records, string Args, string FuncString,
        int Priority, DateTime? Eta, int MaxRetries, string? Channel, string FunctionName, string? IdentityKey, string State, string? GraphUuid,
        string Dependencies);

    private static JobRow Row(NewJob job)
    {
        var (records, call, options) = (job.Records, job.Call, job.Options);
        return new JobRow(
            job.Uuid, records.Env.Uid,
            options.Description ?? call.Method.GetCustomAttribute<DescriptionAttribute>()?.Description ?? $"{records.Info.Name}.{call.Method.Name}",
            records.Info.Name, call.Method.Name,
            JobArguments.Serialize(records.Ids), JobArguments.Serialize(StoredRecords(records)), JobArguments.Serialize(call.Arguments),
            FuncString(records, call),
            options.Priority ?? DelayOptions.DefaultPriority,
            options.Eta is { } eta ? DateTime.SpecifyKind(eta, eta.Kind == DateTimeKind.Local ? DateTimeKind.Local : DateTimeKind.Utc).ToUniversalTime() : null,
            options.MaxRetries ?? DelayOptions.DefaultMaxRetries,
            options.Channel is { } channel ? CompleteChannel(channel) : null,
            QueueJobFunction.NameOf(records.Info.Name, call.Method.Name),
            options.IdentityKey?.Resolve(records, call),
            job.DependsOn.Count > 0 ? JobState.WaitDependencies : JobState.Pending, job.GraphUuid,
            JobArguments.Serialize(new Dictionary<string, object?> { ["depends_on"] = job.DependsOn, ["reverse_depends_on"] = job.ReverseDependsOn }));
    }

    /// <summary>Inserts the rows: one job with scalar parameters, several with one array per column.</summary>
    private static Task InsertAsync(Env env, IReadOnlyList<JobRow> rows, Action<DelayedJob> stored) => rows is [var row]
        ? ReadJobsAsync(env, EnqueueStatements.InsertJob, Values(row), (job, _) => stored(job))
        : ReadJobsAsync(env, EnqueueStatements.InsertJobs, Columns(rows), (job, _) => stored(job));

    private static object?[] Values(JobRow r) =>
    [
        r.Uuid, r.UserId, r.Name, r.ModelName, r.MethodName, r.RecordIds, r.Records, r.Args, r.FuncString, r.Priority, r.Eta, r.MaxRetries,
        r.Channel, r.FunctionName, r.IdentityKey, r.State, r.GraphUuid, r.Dependencies,
    ];

    private static object?[] Columns(IReadOnlyList<JobRow> rows) =>
    [
        rows.Select(r => r.Uuid).ToArray(), rows.Select(r => r.UserId).ToArray(), rows.Select(r => r.Name).ToArray(),
        rows.Select(r => r.ModelName).ToArray(), rows.Select(r => r.MethodName).ToArray(), rows.Select(r => r.RecordIds).ToArray(),
        rows.Select(r => r.Records).ToArray(), rows.Select(r => r.Args).ToArray(), rows.Select(r => r.FuncString).ToArray(),
        rows.Select(r => r.Priority).ToArray(), rows.Select(r => r.Eta).ToArray(), rows.Select(r => r.MaxRetries).ToArray(),
        rows.Select(r => r.Channel).ToArray(), rows.Select(r => r.FunctionName).ToArray(), rows.Select(r => r.IdentityKey).ToArray(),
        rows.Select(r => r.State).ToArray(), rows.Select(r => r.GraphUuid).ToArray(), rows.Select(r => r.Dependencies).ToArray(),
    ];

    /// <summary>The recordset as stored: model, ids, user, and the allow-listed context keys of its environment.</summary>
    private static Dictionary<string, object?> StoredRecords(Model records)
    {
        var allowed = records.Env.Database.Services.GetServices<JobContextKey>().Select(k => k.Name).ToHashSet();
        return new Dictionary<string, object?>
        {
            ["_type"] = "odoo_recordset",
            ["model"] = records.Info.Name,
            ["ids"] = records.Ids,
            ["uid"] = records.Env.Uid,
            ["context"] = records.Env.Context.Where(c => allowed.Contains(c.Key)).ToDictionary(c => c.Key, c => c.Value),
        };
    }

    /// <summary>Channel names are relative to root, as in the channels configuration: <c>sub</c> is <c>root.sub</c>.</summary>
    private static string CompleteChannel(string channel) =>
        channel == "root" || channel.StartsWith("root.", StringComparison.Ordinal) ? channel : "root." + channel;

    /// <summary>Odoo's task text: <c>demo.order(1,).Confirm('note', 2)</c>.</summary>
    public static string FuncString(Model records, JobCall call) =>
        $"{records}.{call.Method.Name}({string.Join(", ", call.Arguments.Select(Repr))})";

    private static string Repr(object? value) => value switch
    {
        null => "None",
        string text => "'" + text.Replace("\\", "\\\\").Replace("'", "\\'") + "'",
        bool flag => flag ? "True" : "False",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Reads rows of <c>id, uuid, state</c> (and <c>identity_key</c> when the statement returns it).</summary>
    private static async Task ReadJobsAsync(Env env, string sql, object?[] parameters, Action<DelayedJob, string?> read)
    {
        await using var command = env.CreateCommand(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var key = reader.FieldCount > 3 ? reader.GetOrdinal("identity_key") : -1;
        while (await reader.ReadAsync())
        {
            read(new DelayedJob(reader.GetFieldValue<long>("id"), reader.GetFieldValue<string>("uuid"), reader.GetFieldValue<string>("state")),
                key < 0 ? null : reader.GetString(key));
        }
    }
}
