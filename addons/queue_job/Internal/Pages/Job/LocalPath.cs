namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Whether a URL stays on this site: a path from its root (<c>/web/record/…</c>), never a scheme, a host, or what
/// browsers read as one (<c>//host</c>, <c>/\host</c>), nor a control character. What a redirect built from stored
/// data may go to.
/// </summary>
internal static class LocalPath
{
    /// <summary>True for a path from this site's root, as ASP.NET Core's local redirect accepts it (app-relative <c>~/</c> aside).</summary>
    public static bool IsLocal(string url) =>
        url.StartsWith('/')
        && (url.Length == 1 || url[1] is not ('/' or '\\'))
        && !url.Any(char.IsControl);
}
