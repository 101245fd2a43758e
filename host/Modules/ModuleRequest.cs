namespace PluginHost.Host.Modules;

/// <summary>What the command line asks of the database: <c>-i</c>, <c>-u</c> (<c>all</c> for every installed addon) and <c>--uninstall</c>.</summary>
public sealed record ModuleRequest
{
    /// <summary>Addons to install, with their dependencies.</summary>
    public IReadOnlyList<string> Install { get; init; } = [];

    /// <summary>Installed addons to update, with the installed addons depending on them.</summary>
    public IReadOnlyList<string> Update { get; init; } = [];

    /// <summary>Installed addons to uninstall, with the installed addons depending on them.</summary>
    public IReadOnlyList<string> Uninstall { get; init; } = [];

    /// <summary>Server-wide addons (<c>--load</c>): loaded always, installed when missing.</summary>
    public IReadOnlyList<string> ServerWide { get; init; } = [];
}
