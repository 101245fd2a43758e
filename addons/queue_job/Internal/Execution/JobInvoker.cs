using System.Reflection;
using System.Text.Json;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Rebuilds a stored job's call — recordset, method, arguments — in a fresh environment and runs it.
/// A job whose arguments no longer bind to the method fails with a <see cref="JobBindingException"/> saying why.
/// </summary>
internal static class JobInvoker
{
    /// <summary>
    /// Runs the job's method and returns its result as text (null for none). When the method used the transaction, its
    /// session is marked used (<see cref="Env.SessionUsed"/>): the executor's connection is reset before it serves again.
    /// </summary>
    public static async Task<string?> InvokeAsync(Env env, ClaimedJob job)
    {
        var uses = env.Uses;
        try
        {
            return await BindAndCallAsync(env, job);
        }
        finally
        {
            if (env.Uses != uses)
            {
                env.SessionUsed = true;
            }
        }
    }

    private static async Task<string?> BindAndCallAsync(Env env, ClaimedJob job)
    {
        var records = Bind(job.Records, typeof(Model), env, $"job {job.Uuid}: records") as Model
            ?? throw new JobBindingException($"job {job.Uuid}: no records stored.");
        var arguments = job.Args.ValueKind == JsonValueKind.Array
            ? job.Args.EnumerateArray().ToList()
            : throw new JobBindingException($"job {job.Uuid}: args: stored value {job.Args.GetRawText()} is not a JSON array of arguments.");
        var (method, values) = JobMethodBinder.Bind(records.GetType(), $"'{job.ModelName}'", job.MethodName, arguments,
            (value, parameter, i) => Bind(value, parameter.ParameterType, env, $"argument {i + 1} '{parameter.Name}' of {job.MethodName}"));
        return await CallAsync(records, method, values);
    }

    /// <summary>Converts one stored value to <paramref name="type"/>; one that does not fit is a <see cref="JobBindingException"/> naming <paramref name="what"/>.</summary>
    public static object? Bind(JsonElement value, Type type, Env env, string what)
    {
        try
        {
            return JobArguments.Deserialize(value, type, env);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidCastException or NotSupportedException or KeyNotFoundException or ArgumentException)
        {
            throw new JobBindingException($"{what}: value {value.GetRawText()} does not fit {Describe(type)}: {e.Message}", e);
        }
    }

    /// <summary>A type as C# spells it: <c>List&lt;Int32&gt;</c>, <c>Int32?</c>.</summary>
    public static string Describe(Type type) => Nullable.GetUnderlyingType(type) is { } inner
        ? Describe(inner) + "?"
        : type.IsGenericType
            ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(Describe))}>"
            : type.Name;

    /// <summary>
    /// Calls the method on the records, awaiting it when asynchronous; its result as text. While it runs, the
    /// records' transaction refuses to commit: the executor commits it with the job's <c>done</c> (and synchronous
    /// mode and the jobs trap run jobs in their caller's transaction, which the caller commits).
    /// </summary>
    public static async Task<string?> CallAsync(Model records, MethodInfo method, object?[] values)
    {
        var env = records.Env;
        var outer = env.CommitRefusal;
        env.CommitRefusal = CommitRefusal(records, method);
        try
        {
            return await RunAsync(records, method, values);
        }
        finally
        {
            // A job run by a job (synchronous mode) gives back the refusal of the job that called it.
            env.CommitRefusal = outer;
        }
    }

    /// <summary>What a job is told when it commits its own transaction.</summary>
    private static string CommitRefusal(Model records, MethodInfo method) =>
        $"Job {records.Info.Name}.{method.Name} committed its own transaction: a job's transaction is committed by the queue_job executor "
        + "together with the job's done, so its writes and its done commit or roll back together. To commit something separately, "
        + "open a transaction of its own: await using var own = await Env.Database.BeginAsync(Env.Uid); ...; await own.CommitAsync();";

    /// <summary>Calls the method, awaiting it when asynchronous; its result as text.</summary>
    private static async Task<string?> RunAsync(Model records, MethodInfo method, object?[] values)
    {
        var returned = method.Invoke(records, BindingFlags.DoNotWrapExceptions, binder: null, values, culture: null);
        if (returned is ValueTask valueTask)
        {
            await valueTask;
            return null;
        }

        if (returned is not null && method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(ValueTask<>))
        {
            returned = method.ReturnType.GetMethod(nameof(ValueTask<int>.AsTask))!.Invoke(returned, null);
        }

        if (returned is Task task)
        {
            await task;
            var definition = method.ReturnType.IsGenericType ? method.ReturnType.GetGenericTypeDefinition() : null;
            returned = definition == typeof(Task<>) || definition == typeof(ValueTask<>) ? task.GetType().GetProperty("Result")!.GetValue(task) : null;
        }

        return returned?.ToString();
    }
}
