using System.Data;
using PluginHost.Sdk;

namespace PluginHost.Addons.Web.Internal;

/// <summary>
/// <c>host users …</c>: the administrator's commands on the users who log in to the web pages and their groups. A
/// password change or a deactivation closes the user's sessions (<c>web_session</c>'s trigger). What only the database
/// reveals (an unknown login or group) is an <see cref="ArgumentException"/> naming it, reported as bad usage.
/// </summary>
internal static class UsersCommand
{
    /// <summary><c>host users</c> and its sub-commands, as <see cref="WebAddon.Commands"/> declares it.</summary>
    public static AddonCommand Declaration { get; } = new("users", "list, create, change users and their groups")
    {
        SubCommands =
        [
            new("list", "every user: login, name, active, groups") { Run = AddonCommand.InTransaction((_, env, output) => ListAsync(env, output)) },
            new("create", "add a user who logs in with a password")
            {
                Arguments = [Login()],
                Options = [new("--name", "the name shown in the pages (default: the login)") { ValueName = "NAME" }, Password(required: true), Group("a group to put the user in")],
                Run = AddonCommand.InTransaction(CreateAsync),
            },
            new("password", "set a user's password (their sessions end)") { Arguments = [Login()], Options = [Password(required: true)], Run = AddonCommand.InTransaction(SetPasswordAsync) },
            new("deactivate", "stop a user from logging in (their sessions end)") { Arguments = [Login()], Run = AddonCommand.InTransaction((c, env, output) => SetActiveAsync(c, env, output, false)) },
            new("activate", "let a deactivated user log in again") { Arguments = [Login()], Run = AddonCommand.InTransaction((c, env, output) => SetActiveAsync(c, env, output, true)) },
            new("groups", "show a user's groups, or add or remove one")
            {
                Arguments = [Login()],
                Options = [Group("put the user in this group", "--add"), Group("take the user out of this group", "--remove")],
                Run = AddonCommand.InTransaction(GroupsAsync),
            },
        ],
    };

    private const string UserGroupsOf = """
        SELECT coalesce(string_agg(d.module || '.' || d.name, ', ' ORDER BY d.module, d.name), '') AS groups
        FROM res_groups_users_rel r JOIN ir_model_data d ON d.model = 'res.groups' AND d.res_id = r.gid
        WHERE r.uid = $1
        """;

    private const string Users = """
        SELECT u.login, u.name, u.active,
               coalesce(string_agg(d.module || '.' || d.name, ', ' ORDER BY d.module, d.name), '') AS groups
        FROM res_users u
        LEFT JOIN res_groups_users_rel r ON r.uid = u.id
        LEFT JOIN ir_model_data d ON d.model = 'res.groups' AND d.res_id = r.gid
        WHERE u.id <> 1
        GROUP BY u.id
        ORDER BY u.login
        """;

    private static AddonCommandArgument Login() => new("LOGIN", "the user's login");

    private static AddonCommandOption Password(bool required) =>
        new("--password", "the password (mind your shell history)") { ValueName = "PASSWORD", Required = required, Check = p => p.Length < 8 ? "expected at least 8 characters" : null };

    private static AddonCommandOption Group(string help, string name = "--group") =>
        new(name, $"{help}, by external id: base.group_system, queue_job.group_queue_job_manager") { ValueName = "GROUP" };

    private static async Task<int> ListAsync(Env env, TextWriter output)
    {
        await using var query = env.CreateCommand(Users);
        await using var reader = await query.ExecuteReaderAsync(env.CancellationToken);
        await output.WriteLineAsync("login                name                     active  groups");
        while (await reader.ReadAsync(env.CancellationToken))
        {
            await output.WriteLineAsync(
                $"{reader.GetString("login"),-20} {reader.GetString("name"),-24} {(reader.GetBoolean("active") ? "yes" : "no"),-7} {reader.GetString("groups")}");
        }

        return 0;
    }

    private static async Task<int> CreateAsync(ParsedCommand command, Env env, TextWriter output)
    {
        var login = command.Words("LOGIN")[0];
        if (await env.ScalarAsync<long?>("SELECT id FROM res_users WHERE login = $1", login) is not null)
        {
            throw new ArgumentException($"LOGIN: a user '{login}' exists already; change it with 'host users password' or 'host users groups'.");
        }

        var group = command.Text("--group") is { } xmlid ? await GroupIdAsync(env, xmlid, "--group") : (long?)null;
        var uid = (await env.ScalarAsync<long>("INSERT INTO res_users (login, name, password) VALUES ($1, $2, $3) RETURNING id",
            login, command.Text("--name") ?? login, UserPassword.Hash(command.Text("--password")!)))!;
        if (group is not null)
        {
            await env.ExecuteAsync("INSERT INTO res_groups_users_rel (gid, uid) VALUES ($1, $2)", group, uid);
        }

        await output.WriteLineAsync($"user {login} created (id {uid})");
        return 0;
    }

    private static async Task<int> SetPasswordAsync(ParsedCommand command, Env env, TextWriter output)
    {
        var uid = await UserIdAsync(env, command);
        await env.ExecuteAsync("UPDATE res_users SET password = $2 WHERE id = $1", uid, UserPassword.Hash(command.Text("--password")!));
        await output.WriteLineAsync($"password of {command.Words("LOGIN")[0]} changed; their sessions are closed");
        return 0;
    }

    private static async Task<int> SetActiveAsync(ParsedCommand command, Env env, TextWriter output, bool active)
    {
        var uid = await UserIdAsync(env, command);
        await env.ExecuteAsync("UPDATE res_users SET active = $2 WHERE id = $1", uid, active);
        await output.WriteLineAsync(active ? $"{command.Words("LOGIN")[0]} may log in" : $"{command.Words("LOGIN")[0]} deactivated; their sessions are closed");
        return 0;
    }

    private static async Task<int> GroupsAsync(ParsedCommand command, Env env, TextWriter output)
    {
        var uid = await UserIdAsync(env, command);
        if (command.Text("--add") is { } added)
        {
            await env.ExecuteAsync("INSERT INTO res_groups_users_rel (gid, uid) VALUES ($1, $2) ON CONFLICT DO NOTHING", await GroupIdAsync(env, added, "--add"), uid);
        }

        if (command.Text("--remove") is { } removed)
        {
            await env.ExecuteAsync("DELETE FROM res_groups_users_rel WHERE gid = $1 AND uid = $2", await GroupIdAsync(env, removed, "--remove"), uid);
        }

        await output.WriteLineAsync($"{command.Words("LOGIN")[0]}: {await env.ScalarAsync<string>(UserGroupsOf, uid)}");
        return 0;
    }

    private static async Task<long> UserIdAsync(Env env, ParsedCommand command)
    {
        var login = command.Words("LOGIN")[0];
        return await env.ScalarAsync<long?>("SELECT id FROM res_users WHERE login = $1 AND id <> 1", login)
            ?? throw new ArgumentException($"LOGIN: no user '{login}'; 'host users list' shows them.");
    }

    private static async Task<long> GroupIdAsync(Env env, string xmlid, string option)
    {
        var dot = xmlid.IndexOf('.', StringComparison.Ordinal);
        var id = dot > 0
            ? await env.ScalarAsync<long?>("SELECT res_id FROM ir_model_data WHERE model = 'res.groups' AND module = $1 AND name = $2", xmlid[..dot], xmlid[(dot + 1)..])
            : null;
        if (id is not null)
        {
            return id.Value;
        }

        var known = await env.ScalarAsync<string>("SELECT string_agg(module || '.' || name, ', ' ORDER BY module, name) FROM ir_model_data WHERE model = 'res.groups'");
        throw new ArgumentException($"{option}: no group '{xmlid}'; expected one of {known}.");
    }
}
