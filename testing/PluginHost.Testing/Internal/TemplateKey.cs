using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using PluginHost.Host.Addons;
using PluginHost.Host.Hosting;
using PluginHost.Sdk;

namespace PluginHost.Testing.Internal;

/// <summary>
/// Names the template database of a set of addons to install: <c>pht_tpl_SET_CONTENT</c>, where SET hashes the addon
/// names asked for and CONTENT the files an install reads (each addon's manifest, data files and <c>bin/</c>, for the
/// addons installed with their dependencies and every <c>auto_install</c> addon) and the host that installs them. A
/// rebuilt or edited addon gives another name, so a stale template is never used.
/// </summary>
internal sealed record TemplateKey(string Name, string Prefix, int LockKey)
{
    /// <summary>Prefix of every template database.</summary>
    public const string TemplatePrefix = "pht_tpl_";

    /// <summary>The class of PostgreSQL advisory locks taken while a template is built (<c>pg_advisory_lock(class, set)</c>).</summary>
    public const int LockClass = 0x50485450;

    /// <summary>Changes when what a template holds changes for the same files (how it is built).</summary>
    private const string Format = "1";

    public static TemplateKey For(AddonCatalog catalog, IReadOnlyList<string> install)
    {
        var names = install.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var set = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join(",", names)));
        var addons = catalog.WithDependencies(names.Concat(catalog.Ordered.Where(a => a.Manifest.AutoInstall).Select(a => a.Name)));
        using var content = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(content, Format);
        Append(content, typeof(HostBootstrap).Assembly.ManifestModule.ModuleVersionId.ToString());
        Append(content, typeof(Addon).Assembly.ManifestModule.ModuleVersionId.ToString());
        foreach (var addon in addons)
        {
            AppendAddon(content, addon);
        }

        var prefix = TemplatePrefix + Convert.ToHexStringLower(set, 0, 4) + "_";
        return new TemplateKey(prefix + Convert.ToHexStringLower(content.GetHashAndReset(), 0, 8), prefix, BinaryPrimitives.ReadInt32BigEndian(set));
    }

    private static void AppendAddon(IncrementalHash hash, DiscoveredAddon addon)
    {
        Append(hash, addon.Name);
        var files = new List<string> { addon.ManifestPath };
        files.AddRange(addon.Manifest.Data.Select(d => Path.Combine(addon.Directory, d)).Where(File.Exists));
        var bin = Path.Combine(addon.Directory, "bin");
        if (Directory.Exists(bin))
        {
            files.AddRange(Directory.EnumerateFiles(bin, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        }

        foreach (var file in files)
        {
            Append(hash, Path.GetRelativePath(addon.Directory, file));
            hash.AppendData(File.ReadAllBytes(file));
        }
    }

    private static void Append(IncrementalHash hash, string text)
    {
        hash.AppendData(Encoding.UTF8.GetBytes(text));
        hash.AppendData([0]);
    }
}
