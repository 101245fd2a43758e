namespace PluginHost.Sdk;

/// <summary>How the host reads the value of an <see cref="AddonCommandOption"/>, and which getter of <see cref="ParsedCommand"/> returns it.</summary>
public enum OptionValueKind
{
    /// <summary>Any text (<see cref="ParsedCommand.Text"/>); a value starting with <c>@</c> stays as it is.</summary>
    Text,

    /// <summary>A 32-bit integer (<see cref="ParsedCommand.Integer"/>).</summary>
    Integer,

    /// <summary>Comma-separated 64-bit integers, <c>1,2,3</c> (<see cref="ParsedCommand.Integers"/>).</summary>
    IntegerList,

    /// <summary>An option without a value, true when given (<see cref="ParsedCommand.Switch"/>).</summary>
    Switch,
}
