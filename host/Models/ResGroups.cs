using PluginHost.Sdk;

namespace PluginHost.Host.Models;

/// <summary>
/// Groups of users (<c>res.groups</c>), declared in data files as in Odoo. Their <c>users</c> field takes Odoo's
/// commands, in <c>eval</c> with <c>ref()</c>: <c>[(4, ref('base.user_admin'))]</c> adds a user, <c>(3, id)</c>
/// removes one, <c>(6, 0, [ids])</c> sets them all, <c>(5,)</c> removes them all.
/// </summary>
[Model("res.groups")]
internal sealed class ResGroups : Model<ResGroupRow>
{
    private const string UsersField = "users";

    public override async Task<long> CreateAsync(IReadOnlyDictionary<string, object?> values)
    {
        var id = await base.CreateAsync(Without(values, UsersField));
        await ApplyUserCommandsAsync([id], values);
        return id;
    }

    public override async Task WriteAsync(IReadOnlyDictionary<string, object?> values)
    {
        await base.WriteAsync(Without(values, UsersField));
        await ApplyUserCommandsAsync(Ids, values);
    }

    private static Dictionary<string, object?> Without(IReadOnlyDictionary<string, object?> values, string field) =>
        values.Where(v => v.Key != field).ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);

    private async Task ApplyUserCommandsAsync(IReadOnlyList<long> groups, IReadOnlyDictionary<string, object?> values)
    {
        if (!values.TryGetValue(UsersField, out var value))
        {
            return;
        }

        foreach (var command in UserCommand.Parse(value))
        {
            foreach (var group in groups)
            {
                await command.ApplyAsync(Env, group);
            }
        }
    }
}
