using Microsoft.Extensions.Configuration;
using PluginHost.Host.Addons;
using PluginHost.Host.Text;

namespace PluginHost.Host.Configuration;

/// <summary>
/// Finds the configuration keys nothing reads: unknown keys of <c>[options]</c> and of a loaded addon's section, and
/// sections that name no addon, each a warning naming where it was given and the nearest known name; keys Odoo
/// reads that PluginHost does not use are listed apart, to be reported once as ignored rather than as typos.
/// </summary>
public static class ConfigurationKeyCheck
{
    /// <summary>What the check found: one warning per unknown key or section, and the ignored keys (where given).</summary>
    public sealed record Report(IReadOnlyList<string> Unknown, IReadOnlyList<string> Ignored);

    /// <summary>Odoo's <c>[options]</c> keys that PluginHost accepts without using (it reads <see cref="ServerOptions.Keys"/>).</summary>
    private static readonly HashSet<string> UnusedOdooOptions = new(StringComparer.OrdinalIgnoreCase)
    {
        "admin_passwd", "csv_internal_sep", "data_dir", "db_maxconn", "db_maxconn_gevent", "db_replica_host", "db_replica_port",
        "db_sslmode", "db_template", "dev_mode", "email_from", "from_filter", "geoip_city_db", "geoip_country_db", "geoip_database",
        "gevent_port", "http_enable", "import_partial", "limit_memory_hard", "limit_memory_soft", "limit_request", "limit_time_cpu",
        "limit_time_real", "limit_time_real_cron", "list_db", "log_db", "log_db_level", "log_handler", "logfile", "longpolling_port",
        "max_cron_threads", "osv_memory_age_limit", "osv_memory_count_limit", "pg_path", "pidfile", "proxy_mode", "reportgz",
        "screencasts", "screenshots", "smtp_password", "smtp_port", "smtp_server", "smtp_ssl", "smtp_ssl_certificate_filename",
        "smtp_ssl_private_key_filename", "smtp_user", "syslog", "test_enable", "test_file", "test_tags", "transient_age_limit",
        "translate_modules", "unaccent", "upgrade_path", "websocket_keep_alive_timeout", "websocket_rate_limit_burst",
        "websocket_rate_limit_delay", "without_demo", "x_sendfile", "xmlrpc", "xmlrpc_interface", "xmlrpc_port", "xmlrpcs",
        "xmlrpcs_interface", "xmlrpcs_port",
    };

    /// <summary>
    /// Checks every section of <paramref name="configuration"/>: <c>[options]</c> against <see cref="ServerOptions.Keys"/>,
    /// a loaded addon's section against its <see cref="Sdk.Addon.ConfigurationKeys"/>; the section of an addon on the
    /// path that is not loaded, or that declares no keys, is not checked.
    /// </summary>
    public static Report Check(IConfiguration configuration, IReadOnlyList<LoadedAddon> loaded, AddonCatalog catalog)
    {
        var unknown = new List<string>();
        var ignored = new List<string>();
        foreach (var section in configuration.GetChildren())
        {
            var name = section.Key;
            var addon = loaded.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase));
            if (!string.Equals(name, "options", StringComparison.OrdinalIgnoreCase) && addon is null
                && !catalog.Ordered.Any(a => string.Equals(a.Name, name, StringComparison.OrdinalIgnoreCase)))
            {
                unknown.Add($"section [{name}]{Origin(configuration, section)}: no addon of that name on the addons path{ClosestName.Hint(name, ["options", .. catalog.Ordered.Select(a => a.Name)])}; it is not read.");
                continue;
            }

            if (KeysOf(name, addon) is not var (used, unused))
            {
                continue;
            }

            foreach (var key in section.GetChildren().Select(k => k.Key))
            {
                if (used.Contains(key, StringComparer.OrdinalIgnoreCase))
                {
                    continue;
                }

                var where = $"[{name}] {key}{Origin(configuration, section.GetSection(key))}";
                if (unused.Contains(key, StringComparer.OrdinalIgnoreCase))
                {
                    ignored.Add(where);
                }
                else
                {
                    unknown.Add($"{where}: unknown key{ClosestName.Hint(key, used)}; it is not read. Known keys: {string.Join(", ", used)}.");
                }
            }
        }

        return new Report(unknown, ignored);
    }

    /// <summary>
    /// The keys read and the keys ignored in section <paramref name="name"/>: <c>[options]</c>'s, or those a loaded addon
    /// declares; null when they are unknown (an addon on the path not loaded, or one that declares none).
    /// </summary>
    private static (IReadOnlyCollection<string> Used, IReadOnlyCollection<string> Unused)? KeysOf(string name, LoadedAddon? addon) =>
        string.Equals(name, "options", StringComparison.OrdinalIgnoreCase) ? (ServerOptions.Keys, UnusedOdooOptions)
        : addon?.Entry?.ConfigurationKeys is { } keys ? (keys, addon.Entry.IgnoredConfigurationKeys)
        : null;

    /// <summary>Where a key or section was given: " in FILE", or the variable of a <c>[queue_job]</c> key from the environment.</summary>
    private static string Origin(IConfiguration configuration, IConfigurationSection section)
    {
        var provider = (configuration as IConfigurationRoot)?.Providers.LastOrDefault(p => p.TryGet(section.Path, out _)
            || p.GetChildKeys([], section.Path).Any());
        if (provider is FileConfigurationProvider { Source: { } source })
        {
            return $" in {source.FileProvider?.GetFileInfo(source.Path ?? "").PhysicalPath ?? source.Path}";
        }

        return provider is QueueJobVariables ? $" ({QueueJobVariables.VariableOf(section.Key)})" : "";
    }
}
