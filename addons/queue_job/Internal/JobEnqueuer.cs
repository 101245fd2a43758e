using System.ComponentModel;
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
/// Stores captured calls as jobs in the caller's transaction: if the caller rolls back, no job exists. A job with
/// parents waits in <c>wait_dependencies</c>, others are <c>pending</c>.
/// </summary>
internal static class JobEnqueuer
{
    private const int IdentityKeyAttempts = 5;

    public static Task<DelayedJob> EnqueueAsync(Model records, JobCall call, DelayOptions options) =>
        EnqueueAsync(new NewJob(records, call, options));

    public static async Task<DelayedJob> EnqueueAsync(NewJob job)
    {
        var (records, call, options, uuid) = (job.Records, job.Call, job.Options, job.Uuid);
        var env = records.Env;
        var functionName = QueueJobFunction.NameOf(records.Info.Name, call.Method.Name);
        var identityKey = options.IdentityKey?.Resolve(records, call);
        var description = options.Description
            ?? call.Method.GetCustomAttribute<DescriptionAttribute>()?.Description
            ?? $"{records.Info.Name}.{call.Method.Name}";
        object?[] parameters =
        [
            uuid, env.Uid, description, records.Info.Name, call.Method.Name,
            JobArguments.Serialize(records.Ids), JobArguments.Serialize(StoredRecords(records)), JobArguments.Serialize(call.Arguments),
            FuncString(records, call),
            options.Priority ?? DelayOptions.DefaultPriority,
            options.Eta is { } eta ? DateTime.SpecifyKind(eta, eta.Kind == DateTimeKind.Local ? DateTimeKind.Local : DateTimeKind.Utc).ToUniversalTime() : null,
            options.MaxRetries ?? DelayOptions.DefaultMaxRetries,
            options.Channel is { } channel ? CompleteChannel(channel) : null,
            functionName, identityKey,
            job.DependsOn.Count > 0 ? JobState.WaitDependencies : JobState.Pending, job.GraphUuid,
            JobArguments.Serialize(new Dictionary<string, object?> { ["depends_on"] = job.DependsOn, ["reverse_depends_on"] = job.ReverseDependsOn }),
        ];

        // The job holding the key may leave the waiting states between the insert and the look-up: then try again.
        for (var attempt = 1; ; attempt++)
        {
            var result = await ReadJobAsync(env, JobStatements.Insert, parameters) ?? await ReadJobAsync(env, JobStatements.FindByIdentityKey, identityKey);
            if (result is not null)
            {
                return result;
            }

            if (attempt == IdentityKeyAttempts)
            {
                throw new InvalidOperationException($"Job with identity key '{identityKey}' was neither inserted nor found after {attempt} attempts.");
            }
        }
    }

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

    private static async Task<DelayedJob?> ReadJobAsync(Env env, string sql, params object?[] parameters)
    {
        await using var command = env.CreateCommand(sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? new DelayedJob(reader.GetInt64(0), reader.GetString(1), reader.GetString(2)) : null;
    }
}
