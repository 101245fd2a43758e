using System.Text.Json;
using PluginHost.Sdk;

namespace PluginHost.Host.Models;

/// <summary>One of Odoo's many2many commands on a group's users: (3, id) unlink, (4, id) link, (5,) clear, (6, 0, ids) set.</summary>
internal sealed record UserCommand(int Code, IReadOnlyList<long> Users)
{
    private const string Expected = "expected a list of Odoo commands on users: (4, ref('base.user_admin')) adds, (3, id) removes, (6, 0, [ids]) sets, (5,) clears";

    public async Task ApplyAsync(Env env, long group)
    {
        if (Code is 5 or 6)
        {
            await env.ExecuteAsync("DELETE FROM res_groups_users_rel WHERE gid = $1", group);
        }

        if (Code == 3)
        {
            await env.ExecuteAsync("DELETE FROM res_groups_users_rel WHERE gid = $1 AND uid = ANY ($2)", group, Users.ToArray());
        }
        else if (Code is 4 or 6 && Users.Count > 0)
        {
            await env.ExecuteAsync("INSERT INTO res_groups_users_rel (gid, uid) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING", group, Users.ToArray());
        }
    }

    /// <summary>The commands of a <c>users</c> value: the list an <c>eval</c> gives (stored as JSON text).</summary>
    public static IReadOnlyList<UserCommand> Parse(object? value)
    {
        JsonElement list;
        try
        {
            list = value is string json ? JsonDocument.Parse(json).RootElement : JsonSerializer.SerializeToElement(value);
        }
        catch (JsonException)
        {
            throw new ArgumentException($"field 'users': {Expected}.");
        }

        if (list.ValueKind != JsonValueKind.Array)
        {
            throw new ArgumentException($"field 'users': {Expected}.");
        }

        return list.EnumerateArray().Select(One).ToList();
    }

    private static UserCommand One(JsonElement command)
    {
        var parts = command.ValueKind == JsonValueKind.Array ? command.EnumerateArray().ToList() : [];
        if (parts.Count == 0 || parts[0].ValueKind != JsonValueKind.Number)
        {
            throw new ArgumentException($"field 'users': {command} is not a command; {Expected}.");
        }

        return (parts[0].GetInt32(), parts.Count) switch
        {
            (3 or 4, 2) when parts[1].TryGetInt64(out var user) => new UserCommand(parts[0].GetInt32(), [user]),
            (5, _) => new UserCommand(5, []),
            (6, 3) when parts[2].ValueKind == JsonValueKind.Array => new UserCommand(6, parts[2].EnumerateArray().Select(u => u.GetInt64()).ToList()),
            _ => throw new ArgumentException($"field 'users': {command} is not a command; {Expected}."),
        };
    }
}
