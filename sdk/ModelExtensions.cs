namespace PluginHost.Sdk;

/// <summary>Typed helpers on recordsets.</summary>
public static class ModelExtensions
{
    /// <summary>The records with the given ids, typed as the calling recordset.</summary>
    public static T Browse<T>(this T records, params long[] ids) where T : Model => (T)records.BrowseIds(ids);
}
