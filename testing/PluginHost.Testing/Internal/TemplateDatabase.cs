namespace PluginHost.Testing.Internal;

/// <summary>
/// Makes sure the template database of a <see cref="TemplateKey"/> exists. The first test process that needs it
/// installs the addons into a database of a building name and renames it when the install is complete, under an
/// advisory lock on the set of addons: parallel processes wait for that one build instead of racing, and a template of
/// the final name is always complete. The older templates of the same set (other addon builds) are dropped then.
/// </summary>
internal static class TemplateDatabase
{
    /// <summary>True when this call built the template by running <paramref name="install"/> on the database it is given.</summary>
    public static async Task<bool> EnsureAsync(TestServerConnection server, TemplateKey key, Func<string, Task> install)
    {
        if (await server.ExistsAsync(key.Name))
        {
            return false;
        }

        // The lock is the session's: closing this connection, however the build ends, releases it.
        await using var connection = await server.OpenAsync();
        await TestServerConnection.ExecuteAsync(connection, TemplateStatements.LockSet, TemplateKey.LockClass, key.LockKey);
        if (await TestServerConnection.ExistsAsync(connection, key.Name))
        {
            return false;
        }

        var building = key.Name + "_new";
        await TestServerConnection.ExecuteAsync(connection, TemplateStatements.Drop(building));
        await install(building);
        await TestServerConnection.ExecuteAsync(connection, TemplateStatements.EndSessions, building);
        await TestServerConnection.ExecuteAsync(connection, TemplateStatements.Rename(building, key.Name));
        foreach (var stale in await TestServerConnection.NamesAsync(connection, TemplateStatements.Stale, key.Prefix, key.Name))
        {
            await TestServerConnection.ExecuteAsync(connection, TemplateStatements.Drop(stale));
        }

        return true;
    }
}
