namespace PluginHost.Testing.Internal;

/// <summary>
/// Creates a test database from the template database of a <see cref="TemplateKey"/>, building the template first when
/// it does not exist. The first test process that needs it installs the addons into a database of a building name and
/// renames it when the install is complete, under an exclusive advisory lock on the set of addons: parallel processes
/// wait for that one build instead of racing, and a template of the final name is always complete. The older templates
/// of the same set (other addon builds) are dropped then, still under the exclusive lock; a process checks and clones
/// a template under the shared lock of the set, so no other process drops the template it is cloning.
/// </summary>
internal static class TemplateDatabase
{
    /// <summary>
    /// Creates <paramref name="database"/> from the template of <paramref name="key"/>; true when this call built the
    /// template by running <paramref name="install"/> on the database it is given.
    /// </summary>
    public static async Task<bool> CloneAsync(TestServerConnection server, TemplateKey key, string database, Func<string, Task> install)
    {
        // The locks are the session's: closing this connection, however the build or the clone ends, releases them.
        await using var connection = await server.OpenAsync();
        await TestServerConnection.ExecuteAsync(connection, TemplateStatements.LockSetShared, TemplateKey.LockClass, key.LockKey);
        if (await TestServerConnection.ExistsAsync(connection, key.Name))
        {
            await TestServerConnection.ExecuteAsync(connection, TemplateStatements.Clone(key.Name, database));
            return false;
        }

        // Shared then exclusive in one session would wait on another process doing the same: the shared lock goes first.
        await TestServerConnection.ExecuteAsync(connection, TemplateStatements.UnlockSetShared, TemplateKey.LockClass, key.LockKey);
        await TestServerConnection.ExecuteAsync(connection, TemplateStatements.LockSet, TemplateKey.LockClass, key.LockKey);
        var built = !await TestServerConnection.ExistsAsync(connection, key.Name);
        if (built)
        {
            var building = key.Name + "_new";
            await TestServerConnection.ExecuteAsync(connection, TemplateStatements.Drop(building));
            await install(building);
            await TestServerConnection.ExecuteAsync(connection, TemplateStatements.EndSessions, building);
            await TestServerConnection.ExecuteAsync(connection, TemplateStatements.Rename(building, key.Name));
            foreach (var stale in await TestServerConnection.NamesAsync(connection, TemplateStatements.Stale, key.Prefix, key.Name))
            {
                await TestServerConnection.ExecuteAsync(connection, TemplateStatements.Drop(stale));
            }
        }

        await TestServerConnection.ExecuteAsync(connection, TemplateStatements.Clone(key.Name, database));
        return built;
    }
}
