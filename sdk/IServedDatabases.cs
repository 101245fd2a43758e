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

    /// <summary>The names of the databases served now, the primary first; a database created since the last call is included.</summary>
    Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken);

    /// <summary>The database named, opened on first use; null when this node does not serve it.</summary>
    Database? Open(string name);
}
