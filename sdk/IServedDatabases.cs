namespace PluginHost.Sdk;

/// <summary>
/// The databases of the PostgreSQL server this node serves: its own (<c>-d</c>) and, with <c>--db-filter</c>,
/// every other whose name matches. Each opens with the host's models and services.
/// </summary>
public interface IServedDatabases
{
    /// <summary>The database the host booted: installs, updates and the web pages work on it.</summary>
    Database Primary { get; }

    /// <summary>The addons this process loaded; a database with others installed cannot run all its code here.</summary>
    IReadOnlySet<string> LoadedAddons { get; }

    /// <summary>
    /// Why this node's code cannot serve <paramref name="database"/>, naming the addons, the migrations and the remedy; null
    /// when it can. It cannot when an installed addon is not loaded here, lacks migrations the loaded build ships (the
    /// database needs <c>-u</c>), or records migrations the loaded build does not ship (a newer build migrated it, as
    /// another node of a rolling upgrade may have done since this one started).
    /// </summary>
    Task<string?> MismatchAsync(Database database, CancellationToken cancellationToken);

    /// <summary>The names of the databases served now, the primary first; a database created since the last call is included.</summary>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The database named, opened on first use; null when this node does not serve it.</summary>
    Database? Open(string name);
}
