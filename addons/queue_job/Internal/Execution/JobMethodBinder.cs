using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Chooses the method that stored arguments call, for a job that runs and for <c>host queue enqueue</c>: the N stored
/// arguments bind to the first N parameters, and any further parameter needs a default value, so a method that gains
/// an optional parameter still runs the jobs stored before (as upstream's <c>method(*args, **kwargs)</c>). Among
/// overloads, the fewest parameters that bind win (exactly N first); two that bind with as many is an error naming both.
/// </summary>
internal static class JobMethodBinder
{
    /// <summary>The public instance methods that N arguments may call, by model class, name and N; grouped by parameter count, fewest first.</summary>
    private static readonly ConcurrentDictionary<(Type Model, string Method, int Arguments), MethodInfo[][]> Candidates = new();

    /// <summary>
    /// The method of <paramref name="model"/> named <paramref name="method"/> that <paramref name="arguments"/> call, with the
    /// values to invoke it with; <paramref name="bind"/> converts one argument for one parameter (its position given) and
    /// throws <see cref="JobBindingException"/> when it does not fit. <paramref name="what"/> names the model for messages.
    /// </summary>
    public static (MethodInfo Method, object?[] Values) Bind(Type model, string what, string method, IReadOnlyList<JsonElement> arguments,
        Func<JsonElement, ParameterInfo, int, object?> bind)
    {
        var groups = Candidates.GetOrAdd((model, method, arguments.Count), key => key.Model
            .GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(m => m.Name == key.Method && m.GetParameters() is var parameters && parameters.Length >= key.Arguments
                && parameters.Skip(key.Arguments).All(p => p.HasDefaultValue))
            .GroupBy(m => m.GetParameters().Length)
            .OrderBy(g => g.Key)
            .Select(g => g.ToArray())
            .ToArray());
        if (groups.Length == 0)
        {
            throw new JobBindingException(
                $"Model {what} ({model.FullName}) has no public method {method} taking {arguments.Count} argument(s) (further parameters, if any, with default values); was it renamed or changed?");
        }

        JobBindingException? mismatch = null;
        foreach (var group in groups)
        {
            var bound = new List<(MethodInfo Method, object?[] Values)>();
            foreach (var candidate in group)
            {
                try
                {
                    var parameters = candidate.GetParameters();
                    bound.Add((candidate, parameters.Select((p, i) => i < arguments.Count ? bind(arguments[i], p, i) : p.DefaultValue).ToArray()));
                }
                catch (JobBindingException e)
                {
                    mismatch = e;
                }
            }

            if (bound.Count > 1)
            {
                throw new JobBindingException($"Model {what}: the stored arguments fit {Describe(bound[0].Method)} and {Describe(bound[1].Method)} alike; " +
                    "give one of them another name or parameter count.");
            }

            if (bound.Count == 1)
            {
                return bound[0];
            }
        }

        throw mismatch!;
    }

    /// <summary>A method as <c>Name(Type a, Type b = …)</c>.</summary>
    public static string Describe(MethodInfo method) =>
        $"{method.Name}({string.Join(", ", method.GetParameters().Select(p => $"{JobInvoker.Describe(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = …" : "")}"))})";
}
