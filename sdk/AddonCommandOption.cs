namespace PluginHost.Sdk;

/// <summary>
/// An option of an <see cref="AddonCommand"/>: the host converts and checks its value (<see cref="Kind"/>,
/// <see cref="AllowedValues"/>, <see cref="Minimum"/>, <see cref="Check"/>) before any connection, naming the option and
/// what was expected on an error.
/// </summary>
/// <param name="Name">The long form, <c>--priority</c>; the name <see cref="ParsedCommand"/> reads it by.</param>
/// <param name="Help">One line of help.</param>
public sealed record AddonCommandOption(string Name, string Help)
{
    /// <summary>Other forms, such as a short <c>-n</c>; they must not be one of the host's flags.</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>The placeholder of the value in help, <c>N</c>; ignored for a switch.</summary>
    public string? ValueName { get; init; }

    /// <summary>How the value is read; text by default.</summary>
    public OptionValueKind Kind { get; init; } = OptionValueKind.Text;

    /// <summary>The only values accepted, compared exactly; empty for any. Also offered by shell completion.</summary>
    public IReadOnlyList<string> AllowedValues { get; init; } = [];

    /// <summary>For <see cref="OptionValueKind.Integer"/>: the smallest value accepted; null for none.</summary>
    public int? Minimum { get; init; }

    /// <summary>True when the command cannot run without it.</summary>
    public bool Required { get; init; }

    /// <summary>Checks a text value: returns what was expected (<c>"expected a JSON array"</c>) or null when it is fine.</summary>
    public Func<string, string?>? Check { get; init; }
}
