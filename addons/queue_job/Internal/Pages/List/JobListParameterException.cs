namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>A parameter of the Jobs list that cannot be used: answered with a 400 naming it and what was expected.</summary>
internal sealed class JobListParameterException(string parameter, string expected, string? given)
    : Exception($"{parameter}: expected {expected}, got '{given}'.")
{
    /// <summary>The query or form parameter at fault.</summary>
    public string Parameter { get; } = parameter;
}
