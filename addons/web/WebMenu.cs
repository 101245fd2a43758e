namespace PluginHost.Addons.Web;

/// <summary>A top menu entry, registered as a singleton service by any addon; shown in every page's header by sequence.</summary>
/// <param name="Name">Label.</param>
/// <param name="Url">Target page.</param>
/// <param name="Sequence">Position; lower first.</param>
/// <param name="Group">The group (external id) a user must belong to to see it; null: every logged-in user.</param>
public sealed record WebMenu(string Name, string Url, int Sequence = 10, string? Group = null);
