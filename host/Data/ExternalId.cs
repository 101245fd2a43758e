using System.Data;
using PluginHost.Sdk;

namespace PluginHost.Host.Data;

/// <summary>External ids (<c>module.name</c>) and removing the records an addon's external ids point to.</summary>
internal static class ExternalId
{
    private const string OwnedRecords = """
        SELECT d.name, d.model, d.res_id,
               EXISTS (SELECT 1 FROM ir_model_data o
                       WHERE o.model = d.model AND o.res_id = d.res_id AND o.module <> d.module) AS shared
        FROM ir_model_data d
        WHERE d.module = $1 AND NOT (d.name = ANY($2)) AND ($3 OR NOT d.noupdate)
        ORDER BY d.id DESC
        """;

    /// <summary>Splits <c>module.name</c>; a name without a module belongs to <paramref name="currentModule"/>.</summary>
    public static (string Module, string Name) Split(string id, string currentModule)
    {
        var dot = id.IndexOf('.');
        return dot < 0 ? (currentModule, id) : (id[..dot], id[(dot + 1)..]);
    }

    /// <summary>
    /// Deletes the external ids of <paramref name="module"/> except <paramref name="keep"/> (and, unless
    /// <paramref name="includeNoUpdate"/>, except noupdate ones), newest first, and the records they point to
    /// unless another addon's external id still points there (a merged record).
    /// </summary>
    public static async Task<int> RemoveAsync(Env env, string module, IReadOnlyCollection<string> keep, bool includeNoUpdate)
    {
        var owned = new List<(string Name, string Model, long ResId, bool Shared)>();
        await using (var command = env.CreateCommand(OwnedRecords, module, keep.ToArray(), includeNoUpdate))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                owned.Add((reader.GetString("name"), reader.GetString("model"), reader.GetInt64("res_id"), reader.GetBoolean("shared")));
            }
        }

        foreach (var record in owned)
        {
            if (!record.Shared && env.Registry.Contains(record.Model))
            {
                await env[record.Model].BrowseIds([record.ResId]).UnlinkAsync();
            }

            await env.ExecuteAsync("DELETE FROM ir_model_data WHERE module = $1 AND name = $2", module, record.Name);
        }

        return owned.Count;
    }
}
