namespace PluginHost.Sdk;

/// <summary>Words an <see cref="AddonCommand"/> takes by position, such as the job uuids of <c>host queue cancel UUID...</c>.</summary>
/// <param name="Name">The placeholder in help, <c>UUID</c>; the name <see cref="ParsedCommand.Words"/> reads it by.</param>
/// <param name="Help">One line of help.</param>
public sealed record AddonCommandArgument(string Name, string Help)
{
    /// <summary>True to take any number of words (none included), false for exactly one.</summary>
    public bool Many { get; init; }
}
