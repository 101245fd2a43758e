using System.Data;
using PluginHost.Sdk;

namespace PluginHost.Addons.Web.Internal;

/// <summary>The groups of a user, by external id (<c>module.name</c> in <c>ir_model_data</c>).</summary>
internal static class UserGroups
{
    private const string Select = """
        SELECT d.module || '.' || d.name AS xmlid
        FROM res_groups_users_rel r
        JOIN ir_model_data d ON d.model = 'res.groups' AND d.res_id = r.gid
        WHERE r.uid = $1
        """;

    public static async Task<IReadOnlySet<string>> ReadAsync(Database database, long uid, CancellationToken cancellationToken)
    {
        await using var env = await database.BeginAsync(uid, cancellationToken: cancellationToken);
        var groups = new HashSet<string>(StringComparer.Ordinal);
        await using var command = env.CreateCommand(Select, uid);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            groups.Add(reader.GetString("xmlid"));
        }

        return groups;
    }
}
