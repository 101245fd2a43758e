using System.Data;
using Microsoft.Extensions.Logging;
using Npgsql;
using PluginHost.Host.Addons;
using PluginHost.Host.Data;
using PluginHost.Host.Hosting;
using PluginHost.Sdk;

namespace PluginHost.Host.Modules;

/// <summary>
/// Installs, updates and uninstalls addons in one database, as Odoo does, inside one transaction: either
/// the whole request is applied or nothing is. Install applies the addon's pending migrations then loads its
/// data files; update does the same and deletes the records whose external ids vanished from the files;
/// uninstall deletes the addon's records. Both keep a record another installed addon still declares, and apply that
/// addon's declaration of it again.
/// </summary>
public sealed class ModuleLifecycle(Database database, IReadOnlyList<LoadedAddon> loaded, ILogger<ModuleLifecycle> logger)
{
    /// <summary>Serialises lifecycle work of concurrent hosts on one database.</summary>
    private const long LifecycleLockKey = 0x5048_4d4f_4455_4c45;

    private const string RegisterModule = """
        INSERT INTO ir_module_module (name, state, summary, author, license, auto_install)
        VALUES ($1, CASE WHEN $2 THEN 'uninstalled' ELSE 'uninstallable' END, $3, $4, $5, $6)
        ON CONFLICT (name) DO UPDATE
        SET summary = EXCLUDED.summary, author = EXCLUDED.author, license = EXCLUDED.license,
            auto_install = EXCLUDED.auto_install,
            state = CASE WHEN ir_module_module.state = 'installed' THEN 'installed' ELSE EXCLUDED.state END
        """;

    private const string RecordMigration = """
        INSERT INTO ir_module_migration (module, version, name, checksum)
        VALUES ($1, $2, $3, $4)
        """;

    private const string RecordChecksum = """
        UPDATE ir_module_migration
        SET checksum = $3
        WHERE module = $1 AND version = $2 AND checksum IS NULL
        """;

    private const string SetState = """
        UPDATE ir_module_module
        SET state = $2, latest_version = $3, write_date = now()
        WHERE name = $1
        """;

    /// <summary>The names of the addons installed in <paramref name="database"/>, creating the host's tables if needed.</summary>
    public static async Task<IReadOnlySet<string>> InstalledAsync(Database database)
    {
        await using var env = await database.BeginAsync();
        await env.ExecuteAsync("SELECT pg_advisory_xact_lock($1)", LifecycleLockKey);
        await BaseSchema.EnsureAsync(env);
        var names = await InstalledNamesAsync(env);
        await env.CommitAsync();
        return names;
    }

    private static async Task<IReadOnlySet<string>> InstalledNamesAsync(Env env)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        await using var command = env.CreateCommand("SELECT name FROM ir_module_module WHERE state = 'installed'");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            names.Add(reader.GetString("name"));
        }

        return names;
    }

    /// <summary>Applies the plan in one transaction.</summary>
    public async Task ApplyAsync(AddonCatalog catalog, ModulePlan plan)
    {
        await using var env = await database.BeginAsync();
        await env.ExecuteAsync("SELECT pg_advisory_xact_lock($1)", LifecycleLockKey);
        foreach (var addon in catalog.Ordered)
        {
            var m = addon.Manifest;
            await env.ExecuteAsync(RegisterModule, m.Name, m.Installable, m.Summary, m.Author, m.License, m.AutoInstall);
        }

        await RefuseNewerSchemaAsync(env, plan);
        var checksummed = await ChecksummedMigrationsAsync(env, plan);
        RefuseChangedMigrations(checksummed);
        foreach (var addon in plan.Install)
        {
            logger.LogInformation("installing addon {Addon} {Version}", addon.Name, addon.Manifest.Version);
            await MigrateAsync(env, addon);
            await new DataLoader(env, addon, updating: false).LoadAsync(Declared(addon));
            await env.ExecuteAsync(SetState, addon.Name, "installed", addon.Manifest.Version);
        }

        foreach (var addon in plan.Update)
        {
            logger.LogInformation("updating addon {Addon} to {Version}", addon.Name, addon.Manifest.Version);
            await MigrateAsync(env, addon);
            var data = new DataLoader(env, addon, updating: true);
            await data.LoadAsync(Declared(addon));
            var removed = await RemoveAsync(env, [addon.Name], data.Seen.Select(name => $"{addon.Name}.{name}").ToList(), plan, uninstalling: false);
            logger.LogInformation("addon {Addon}: {Count} external ids no longer declared and the records only it declared were deleted", addon.Name, removed);
            await env.ExecuteAsync(SetState, addon.Name, "installed", addon.Manifest.Version);
        }

        if (plan.Uninstall.Count > 0)
        {
            await UninstallAsync(env, plan);
        }

        await RefuseStaleSchemaAsync(env, plan);
        await RecordMissingChecksumsAsync(env, checksummed);
        await env.CommitAsync();
    }

    /// <summary>Uninstalls the plan's addons together: every record of theirs goes unless another addon declares it too.</summary>
    private async Task UninstallAsync(Env env, ModulePlan plan)
    {
        var names = plan.Uninstall.Select(a => a.Name).ToList();
        logger.LogInformation("uninstalling addons {Addons}", string.Join(", ", names));
        var removed = await RemoveAsync(env, names, [], plan, uninstalling: true);
        logger.LogInformation("addons {Addons}: {Count} external ids and the records only they declared were deleted", string.Join(", ", names), removed);
        foreach (var name in names)
        {
            await env.ExecuteAsync(SetState, name, "uninstalled", null);
        }
    }

    /// <summary>
    /// Deletes the external ids of <paramref name="modules"/> except <paramref name="keep"/> (and, at update, except
    /// noupdate ones) and the records only they declare, newest first. The other addons' declarations of the records among them
    /// that another addon shares are applied again first, as an update of those addons would, so no kept record still
    /// points to one about to go (a shared job function to a channel only the updated or uninstalled addon declared).
    /// </summary>
    private async Task<int> RemoveAsync(Env env, IReadOnlyList<string> modules, IReadOnlyCollection<string> keep, ModulePlan plan, bool uninstalling)
    {
        await ReapplySharedAsync(env, modules, keep, plan, uninstalling);
        return await ExternalId.RemoveAsync(env, modules, keep, uninstalling);
    }

    /// <summary>
    /// Applies again, in load order (the addon loaded last wins), each other addon's declarations of the records it
    /// shares with the external ids of <paramref name="modules"/> about to go; noupdate records are left as they are.
    /// An addon that is not loaded (missing from the addons path) cannot be read: its shared records keep their values.
    /// </summary>
    private async Task ReapplySharedAsync(Env env, IReadOnlyList<string> modules, IReadOnlyCollection<string> keep, ModulePlan plan, bool uninstalling)
    {
        var shared = await ExternalId.SharedElsewhereAsync(env, modules, keep, uninstalling);
        foreach (var remaining in plan.Load.Where(a => shared.Contains(a.Name)))
        {
            logger.LogInformation("addon {Addon}: applying again its declarations of {Count} records shared with {Addons}, whose external ids for them go",
                remaining.Name, shared[remaining.Name].Count(), string.Join(", ", modules));
            try
            {
                await new DataLoader(env, remaining, updating: true).LoadAsync(Declared(remaining), shared[remaining.Name].ToHashSet(StringComparer.Ordinal));
            }
            catch (DataFileException e)
            {
                throw new HostStartException(
                    $"{Quoted(modules)} cannot be {(uninstalling ? "uninstalled" : "updated")}: applying again the declaration of '{remaining.Name}' " +
                    $"of a record they share failed: {e.Message}; the whole request was rolled back.", e);
            }
        }

        foreach (var unread in shared.Select(g => g.Key).Where(name => plan.Load.All(a => a.Name != name)))
        {
            logger.LogWarning("addon {Addon} is not loaded: the records it shares with {Addons}, whose external ids for them go, keep their values",
                unread, string.Join(", ", modules));
        }
    }

    private static string Quoted(IReadOnlyList<string> addons) =>
        $"{(addons.Count == 1 ? "addon" : "addons")} {string.Join(", ", addons.Select(a => $"'{a}'"))}";

    /// <summary>
    /// An installed addon whose code brings migrations its database has not had would fail at run time: the host
    /// stops before serving, naming the addon, the migrations and the update to run (as Odoo asks for <c>-u</c>).
    /// </summary>
    private async Task RefuseStaleSchemaAsync(Env env, ModulePlan plan)
    {
        // Only installed addons: a loaded dependency that is not installed has no schema to be behind.
        var installed = await InstalledNamesAsync(env);
        var stale = new List<(string Addon, IReadOnlyList<SchemaMigration> Pending)>();
        foreach (var addon in plan.Load.Where(a => installed.Contains(a.Name)))
        {
            if (await PendingMigrationsAsync(env, addon) is { Count: > 0 } pending)
            {
                stale.Add((addon.Name, pending));
            }
        }

        if (stale.Count > 0)
        {
            var described = stale.Select(s => $"'{s.Addon}' ({string.Join(", ", s.Pending.Select(m => MigrationLabel.Of(m.Version, m.Name)))})");
            throw new StaleDatabaseException(
                $"Database '{database.Name}' lacks migrations of installed addons: {string.Join("; ", described)}. " +
                $"Update them first: host -d {database.Name} -u {string.Join(",", stale.Select(s => s.Addon))} (or -u all).");
        }
    }

    /// <summary>
    /// An installed addon whose database records migrations its loaded code does not ship was migrated by a newer
    /// build: running this older one against it (or letting <c>-u</c> rewrite its records back) would act on a schema
    /// it does not know. Refused before anything is written, naming the addon, the migrations and both versions
    /// (shown, never compared).
    /// </summary>
    private async Task RefuseNewerSchemaAsync(Env env, ModulePlan plan)
    {
        var installed = await InstalledNamesAsync(env);
        var ahead = new List<string>();
        foreach (var addon in plan.Load.Where(a => installed.Contains(a.Name)))
        {
            if (ShippedMigrations(addon) is not { } shipped)
            {
                continue;
            }

            var versions = shipped.Select(m => m.Version).ToHashSet();
            if ((await AppliedMigrationsAsync(env, addon)).Where(m => !versions.Contains(m.Version)).ToList() is { Count: > 0 } unknown)
            {
                var recorded = await env.ScalarAsync<string>("SELECT latest_version FROM ir_module_module WHERE name = $1", addon.Name);
                ahead.Add($"'{addon.Name}' ({string.Join(", ", unknown.Select(m => MigrationLabel.Of(m.Version, m.Name)))}; " +
                    $"installed as version {recorded ?? "unknown"}, the loaded build is {addon.Manifest.Version})");
            }
        }

        if (ahead.Count > 0)
        {
            throw new StaleDatabaseException(
                $"Database '{database.Name}' has migrations that the loaded code of its installed addons does not ship: {string.Join("; ", ahead)}. " +
                "A newer build migrated it: load that build (check --addons-path); going back to an older one is not supported.");
        }
    }

    /// <summary>
    /// The applied migrations of the loaded addons that their code still ships, each with the checksum stored when it was
    /// applied (null if applied before checksums were kept) and the one of the shipped SQL. Every loaded addon counts,
    /// installed or not: an uninstalled addon keeps its migrations recorded, and installing it again skips them.
    /// </summary>
    private async Task<IReadOnlyList<ChecksummedMigration>> ChecksummedMigrationsAsync(Env env, ModulePlan plan)
    {
        var checksummed = new List<ChecksummedMigration>();
        foreach (var addon in plan.Load)
        {
            var shipped = (ShippedMigrations(addon) ?? []).ToDictionary(m => m.Version);
            foreach (var applied in await AppliedMigrationsAsync(env, addon))
            {
                // A recorded migration the code does not ship is the newer-build refusal's.
                if (shipped.TryGetValue(applied.Version, out var migration))
                {
                    checksummed.Add(new ChecksummedMigration(addon.Name, migration, applied.Checksum, MigrationChecksum.Of(migration)));
                }
            }
        }

        return checksummed;
    }

    /// <summary>
    /// A migration runs once, so SQL edited after it was applied never reaches the databases that had it, and they drift
    /// apart from new ones: the host stops before anything is written, naming the addon, the file and both checksums.
    /// </summary>
    private void RefuseChangedMigrations(IReadOnlyList<ChecksummedMigration> checksummed)
    {
        var changed = checksummed.Where(m => m.Stored is not null && m.Stored != m.Shipped).ToList();
        if (changed.Count > 0)
        {
            var described = changed.Select(m => $"'{m.Addon}' {MigrationLabel.Of(m.Migration.Version, m.Migration.Name)}.sql (stored {m.Stored}, shipped {m.Shipped})");
            throw new StaleDatabaseException(
                $"Database '{database.Name}' has applied migrations whose SQL the loaded code changed: {string.Join("; ", described)}. " +
                "A migration must never be edited once released: restore its SQL and ship the change as a new migration.");
        }
    }

    /// <summary>Stores the shipped checksum of the migrations applied before checksums were kept; they are checked from then on.</summary>
    private async Task RecordMissingChecksumsAsync(Env env, IReadOnlyList<ChecksummedMigration> checksummed)
    {
        foreach (var addon in checksummed.Where(m => m.Stored is null).GroupBy(m => m.Addon))
        {
            foreach (var unrecorded in addon)
            {
                await env.ExecuteAsync(RecordChecksum, addon.Key, unrecorded.Migration.Version, unrecorded.Shipped);
            }

            logger.LogInformation("addon {Addon}: recorded the checksums of migrations {Versions}, applied before checksums were kept",
                addon.Key, string.Join(", ", addon.Select(m => m.Migration.Version)));
        }
    }

    private async Task MigrateAsync(Env env, DiscoveredAddon addon)
    {
        foreach (var migration in await PendingMigrationsAsync(env, addon))
        {
            logger.LogInformation("addon {Addon}: applying migration {Version} {Name}", addon.Name, migration.Version, migration.Name);
            try
            {
                await env.ExecuteAsync(migration.Sql);
            }
            catch (PostgresException e) when (!ConnectionLoss.Is(e))
            {
                throw new HostStartException(
                    $"addon '{addon.Name}': migration {MigrationLabel.Of(migration.Version, migration.Name)}.sql failed: {e.SqlState}: {e.MessageText}" +
                    $"{(e.Position > 0 ? $" (at character {e.Position})" : "")}; everything this start installed or updated was rolled back.", e);
            }

            await env.ExecuteAsync(RecordMigration, addon.Name, migration.Version, migration.Name, MigrationChecksum.Of(migration));
        }

        env.Registry.ForgetColumns();
    }

    /// <summary>The addon's migrations not yet applied to the database, in order; none for an addon without code.</summary>
    private async Task<IReadOnlyList<SchemaMigration>> PendingMigrationsAsync(Env env, DiscoveredAddon addon)
    {
        if (ShippedMigrations(addon) is not { } shipped)
        {
            return [];
        }

        var applied = (await AppliedMigrationsAsync(env, addon)).Select(m => m.Version).ToHashSet();
        return shipped.OrderBy(m => m.Version).Where(m => !applied.Contains(m.Version)).ToList();
    }

    /// <summary>
    /// The records the loaded addons make of <paramref name="addon"/>'s manifest (queue_job: its channels and job
    /// functions), each located in the manifest for errors.
    /// </summary>
    private IEnumerable<DataRecord> Declared(DiscoveredAddon addon) =>
        loaded.SelectMany(l => l.Entry?.RecordsDeclaredBy(addon.Manifest) ?? [])
            .Select(record => record with { Location = $"{addon.ManifestPath}: {record.Location}" });

    /// <summary>The migrations the loaded code of the addon ships; null for an addon without code.</summary>
    private IEnumerable<SchemaMigration>? ShippedMigrations(DiscoveredAddon addon) =>
        loaded.SingleOrDefault(l => l.Name == addon.Name)?.Entry?.Migrations;

    /// <summary>
    /// The migrations of the addon the database records as applied, in order, with the checksum stored when each was
    /// applied (null for one applied before checksums were kept).
    /// </summary>
    private static async Task<IReadOnlyList<(int Version, string Name, string? Checksum)>> AppliedMigrationsAsync(Env env, DiscoveredAddon addon)
    {
        var applied = new List<(int, string, string?)>();
        await using var command = env.CreateCommand("SELECT version, name, checksum FROM ir_module_migration WHERE module = $1 ORDER BY version", addon.Name);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            applied.Add((reader.GetInt32("version"), reader.GetString("name"), reader.IsDBNull("checksum") ? null : reader.GetString("checksum")));
        }

        return applied;
    }

    /// <summary>An applied migration the loaded code ships, with its stored checksum (null if never recorded) and the shipped one.</summary>
    private sealed record ChecksummedMigration(string Addon, SchemaMigration Migration, string? Stored, string Shipped);
}
