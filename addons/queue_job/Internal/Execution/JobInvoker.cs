using System.Collections.Concurrent;
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
    /// <summary>The public instance methods of a model class by name and argument count (addons are never unloaded).</summary>
    private static readonly ConcurrentDictionary<(Type Model, string Method, int Arguments), MethodInfo[]> Methods = new();

    /// <summary>Runs the job's method and returns its result as text (null for none).</summary>
    public static async Task<string?> InvokeAsync(Env env, ClaimedJob job)
    {
        var records = Bind(job.Records, typeof(Model), env, $"job {job.Uuid}: records") as Model
            ?? throw new JobBindingException($"job {job.Uuid}: no records stored.");
        var arguments = job.Args.EnumerateArray().ToList();
        var candidates = Methods.GetOrAdd((records.GetType(), job.MethodName, arguments.Count), key => key.Model
            .GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.Name == key.Method && m.GetParameters().Length == key.Arguments)
            .ToArray());
        if (candidates.Length == 0)
        {
            throw new JobBindingException(
                $"Model '{job.ModelName}' ({records.GetType().FullName}) has no public method {job.MethodName} taking {arguments.Count} argument(s); was it renamed or changed?");
        }

        JobBindingException? mismatch = null;
        foreach (var method in candidates)
        {
            object?[] values;
            try
            {
                values = method.GetParameters().Select((p, i) => Bind(arguments[i], p.ParameterType, env, $"argument {i + 1} '{p.Name}' of {job.MethodName}")).ToArray();
            }
            catch (JobBindingException e)
            {
                mismatch = e;
                continue;
            }

            return await CallAsync(records, method, values);
        }

        throw mismatch!;
    }

    private static object? Bind(JsonElement value, Type type, Env env, string what)
    {
        try
        {
            return JobArguments.Deserialize(value, type, env);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidCastException or NotSupportedException or KeyNotFoundException or ArgumentException)
        {
            throw new JobBindingException($"{what}: stored value {value.GetRawText()} does not fit {Describe(type)}: {e.Message}", e);
        }
    }

    private static string Describe(Type type) => Nullable.GetUnderlyingType(type) is { } inner
        ? Describe(inner) + "?"
        : type.IsGenericType
            ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(", ", type.GetGenericArguments().Select(Describe))}>"
            : type.Name;

    /// <summary>Calls the method on the records, awaiting it when asynchronous; its result as text.</summary>
    public static async Task<string?> CallAsync(Model records, MethodInfo method, object?[] values)
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
