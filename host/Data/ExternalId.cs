using System.Data;
using Npgsql;
using PluginHost.Host.Hosting;
using PluginHost.Sdk;

namespace PluginHost.Host.Data;

/// <summary>External ids (<c>module.name</c>) and removing the records an addon's external ids point to.</summary>
internal static class ExternalId
{
    private const string OwnedRecords = """
        SELECT d.module, d.name, d.model, d.res_id,
               EXISTS (SELECT 1 FROM ir_model_data o
                       WHERE o.model = d.model AND o.res_id = d.res_id AND NOT (o.module = ANY($1))) AS shared
        FROM ir_model_data d
        WHERE d.module = ANY($1)
          AND NOT (d.module || '.' || d.name = ANY($2))
          AND ($3 OR NOT d.noupdate)
        ORDER BY d.id DESC
        """;

    /// <summary>The external ids of other modules on the records <see cref="OwnedRecords"/> selects (same <c>$1</c>, <c>$2</c>, <c>$3</c>).</summary>
    private const string SharedElsewhere = """
        SELECT DISTINCT o.module, o.module || '.' || o.name AS id
        FROM ir_model_data d
        JOIN ir_model_data o ON o.model = d.model AND o.res_id = d.res_id
        WHERE d.module = ANY($1)
          AND NOT (d.module || '.' || d.name = ANY($2))
          AND ($3 OR NOT d.noupdate)
          AND NOT (o.module = ANY($1))
        """;

    /// <summary>Splits <c>module.name</c>; a name without a module belongs to <paramref name="currentModule"/>.</summary>
    public static (string Module, string Name) Split(string id, string currentModule)
    {
        var dot = id.IndexOf('.');
        return dot < 0 ? (currentModule, id) : (id[..dot], id[(dot + 1)..]);
    }

    /// <summary>
    /// The external ids (<c>module.name</c>) of other modules that point to a record one of the external ids
    /// <see cref="RemoveAsync"/> would delete points to (a merged record that stays), by module.
    /// </summary>
    public static async Task<ILookup<string, string>> SharedElsewhereAsync(Env env, IReadOnlyCollection<string> modules, IReadOnlyCollection<string> keep, bool uninstalling)
    {
        var shared = new List<(string Module, string Id)>();
        await using var command = env.CreateCommand(SharedElsewhere, modules.ToArray(), keep.ToArray(), uninstalling);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            shared.Add((reader.GetString("module"), reader.GetString("id")));
        }

        return shared.ToLookup(s => s.Module, s => s.Id, StringComparer.Ordinal);
    }

    /// <summary>
    /// Deletes the external ids of <paramref name="modules"/> except <paramref name="keep"/> (<c>module.name</c>; and,
    /// unless <paramref name="uninstalling"/>, except noupdate ones), newest first, and the records they point to
    /// unless an external id of another module still points there (a merged record). A record that cannot be deleted
    /// (still used by another) is a <see cref="HostStartException"/> naming the module, the record and the reason.
    /// </summary>
    public static async Task<int> RemoveAsync(Env env, IReadOnlyCollection<string> modules, IReadOnlyCollection<string> keep, bool uninstalling)
    {
        var owned = new List<OwnedRecord>();
        await using (var command = env.CreateCommand(OwnedRecords, modules.ToArray(), keep.ToArray(), uninstalling))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                owned.Add(new OwnedRecord(reader.GetString("module"), reader.GetString("name"), reader.GetString("model"), reader.GetInt64("res_id"), reader.GetBoolean("shared")));
            }
        }

        foreach (var record in owned)
        {
            if (!record.Shared && env.Registry.Contains(record.Model))
            {
                await UnlinkAsync(env, record, uninstalling);
            }

            await env.ExecuteAsync("DELETE FROM ir_model_data WHERE module = $1 AND name = $2", record.Module, record.Name);
        }

        return owned.Count;
    }

    private static async Task UnlinkAsync(Env env, OwnedRecord record, bool uninstalling)
    {
        try
        {
            await env[record.Model].BrowseIds([record.ResId]).UnlinkAsync();
        }
        catch (Exception e) when (e is ArgumentException || e is PostgresException failure && !ConnectionLoss.Is(failure))
        {
            var reason = e is PostgresException pg ? Reason(pg) : e.Message;
            throw new HostStartException(
                $"addon '{record.Module}' cannot be {(uninstalling ? "uninstalled" : "updated")}: its record {record.Module}.{record.Name} " +
                $"({record.Model} {record.ResId}) cannot be deleted: {reason}; the whole request was rolled back.", e);
        }
    }

    /// <summary>What the database refused, by table and constraint rather than its row values (their detail is redacted).</summary>
    private static string Reason(PostgresException e) => e.SqlState == PostgresErrorCodes.ForeignKeyViolation
        ? $"rows of table {e.TableName} still refer to it (constraint {e.ConstraintName}, {e.SqlState})"
        : $"{e.SqlState}: {e.MessageText}";

    private sealed record OwnedRecord(string Module, string Name, string Model, long ResId, bool Shared);
}
