using LinqToDB.Mapping;

namespace PluginHost.Sdk;

/// <summary>A row of <c>res_users</c>, the host's users (Odoo's table and columns).</summary>
[Table("res_users")]
public class ResUserRow : IModelRow
{
    /// <summary>The user id (<see cref="Env.Uid"/>); 1 is the superuser <c>__system__</c>.</summary>
    [Column("id"), PrimaryKey, Identity]
    public long Id { get; set; }

    /// <summary>The login name, unique.</summary>
    [Column("login"), NotNull]
    public string Login { get; set; } = "";

    /// <summary>The display name.</summary>
    [Column("name"), NotNull]
    public string Name { get; set; } = "";

    /// <summary>The password hash (<see cref="UserPassword"/>), or null when the user cannot log in with one.</summary>
    [Column("password")]
    public string? Password { get; set; }

    /// <summary>False for a user who may not log in.</summary>
    [Column("active"), NotNull]
    public bool Active { get; set; } = true;
}
