namespace PluginHost.Host.Addons;

/// <summary>The addons on the path cannot be used together: every problem found, each naming its files.</summary>
public sealed class AddonGraphException(IReadOnlyList<string> problems)
    : Exception("Addons path problems:" + Environment.NewLine + string.Join(Environment.NewLine, problems.Select(p => "  - " + p)))
{
    /// <summary>One line per problem.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;
}
