using System.Security.Cryptography;
using System.Text;
using PluginHost.Sdk;

namespace PluginHost.Host.Modules;

/// <summary>
/// The SHA-256 of a migration's SQL (its UTF-8 bytes with <c>\n</c> line endings, as lowercase hex: a checkout that writes
/// <c>\r\n</c> builds the same checksum), stored in <c>ir_module_migration</c> when the
/// migration is applied: a migration runs once, so SQL edited afterwards would never reach the databases that had it.
/// </summary>
internal static class MigrationChecksum
{
    /// <summary>The checksum of the SQL <paramref name="migration"/> ships.</summary>
    public static string Of(SchemaMigration migration) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(migration.Sql.ReplaceLineEndings("\n"))));
}
