namespace PluginHost.Sdk;

/// <summary>
/// The values of an <see cref="AddonCommand"/>'s options and arguments as the host parsed and checked them, read by
/// the name they were declared with. Reading a name the command does not declare, or with the getter of another
/// kind, is a programming error (<see cref="InvalidOperationException"/>).
/// </summary>
/// <example>
/// <code>
/// var priority = command.Integer("--priority") ?? 10;
/// </code>
/// </example>
/// <param name="path">The command's words, <c>queue enqueue</c>.</param>
/// <param name="values">Every declared option and argument by name, with its value, or null when not given.</param>
public sealed class ParsedCommand(string path, IReadOnlyDictionary<string, object?> values)
{
    /// <summary>The command's words after <c>host</c>, <c>queue enqueue</c>.</summary>
    public string Path { get; } = path;

    /// <summary>A <see cref="OptionValueKind.Text"/> option's value; null when not given.</summary>
    public string? Text(string name) => Value<string>(name);

    /// <summary>An <see cref="OptionValueKind.Integer"/> option's value; null when not given.</summary>
    public int? Integer(string name) => Value<int?>(name);

    /// <summary>An <see cref="OptionValueKind.IntegerList"/> option's values; empty when not given.</summary>
    public IReadOnlyList<long> Integers(string name) => Value<IReadOnlyList<long>>(name) ?? [];

    /// <summary>Whether a <see cref="OptionValueKind.Switch"/> option was given.</summary>
    public bool Switch(string name) => Value<bool?>(name) ?? false;

    /// <summary>The words of an <see cref="AddonCommandArgument"/>; empty when none were given.</summary>
    public IReadOnlyList<string> Words(string argument) => Value<IReadOnlyList<string>>(argument) ?? [];

    private T? Value<T>(string name)
    {
        if (!values.TryGetValue(name, out var value))
        {
            throw new InvalidOperationException($"'{Path}' declares no option or argument '{name}'; it declares {string.Join(", ", values.Keys)}.");
        }

        return value switch
        {
            null => default,
            T typed => typed,
            _ => throw new InvalidOperationException($"'{Path}': '{name}' holds {value.GetType().Name}, not {typeof(T).Name}."),
        };
    }
}
