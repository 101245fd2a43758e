namespace PluginHost.Host.Modules;

/// <summary>How messages name a migration: <c>0002_orders</c>, as its file is named without <c>.sql</c>.</summary>
internal static class MigrationLabel
{
    /// <summary>The label of migration <paramref name="version"/> called <paramref name="name"/>.</summary>
    public static string Of(int version, string name) => $"{version:D4}_{name}";
}
