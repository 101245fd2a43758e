using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;

namespace PluginHost.Host.Scaffold;

/// <summary>
/// The files of a new addon: templates/pluginhost-addon of the repository, embedded in the host, with the words the
/// <c>dotnet new</c> template replaces (its .template.config/template.json) replaced the same way: <c>addon_name</c>
/// by the name, <c>AddonName</c> by the name in PascalCase, <c>PLUGINHOST_FEED</c> and <c>PLUGINHOST_VERSION</c> by the
/// package feed and this build's version, the test packages' words (<c>NUNIT_VERSION</c>) by their versions in
/// Directory.Packages.props.
/// </summary>
internal static partial class AddonScaffold
{
    private const string ResourcePrefix = "scaffold/";
    private const string PackageVersionKey = "PluginHost.PackageVersion:";

    /// <summary>Each word of the test project standing for a package's version, with that package.</summary>
    private static readonly (string Word, string Package)[] TestPackageWords =
        [("TEST_SDK_VERSION", "Microsoft.NET.Test.Sdk"), ("NUNIT_VERSION", "NUnit"), ("NUNIT_ADAPTER_VERSION", "NUnit3TestAdapter")];

    /// <summary>The versions of the test packages, by package, recorded at build from Directory.Packages.props (host csproj).</summary>
    private static readonly Dictionary<string, string> PackageVersions = typeof(AddonScaffold).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Where(a => a.Key.StartsWith(PackageVersionKey, StringComparison.Ordinal))
        .ToDictionary(a => a.Key[PackageVersionKey.Length..], a => a.Value!, StringComparer.Ordinal);

    /// <summary>The feed of the repository this host was built in (artifacts/packages), null when it is not there.</summary>
    public static string? DefaultFeed { get; } = typeof(AddonScaffold).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Where(a => a.Key == "PluginHost.PackageFeed" && Directory.Exists(a.Value)).Select(a => a.Value).FirstOrDefault();

    /// <summary>The version of the PluginHost packages of this build (the host's own version).</summary>
    public static string Version { get; } = typeof(AddonScaffold).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!
        .InformationalVersion.Split('+')[0];

    /// <summary>What is wrong with <paramref name="name"/> as an addon's technical name, or null.</summary>
    public static string? CheckName(string name) => TechnicalName().IsMatch(name)
        ? null
        : $"'{name}' is not a technical name: expected lower-case letters, digits and underscores, starting with a letter (shop_sync)";

    /// <summary>The name in PascalCase, as the template's <c>snakeToPascal</c> form makes it: shop_sync, ShopSync.</summary>
    public static string PascalCase(string name) =>
        string.Concat(name.Split('_', StringSplitOptions.RemoveEmptyEntries).Select(w => CultureInfo.InvariantCulture.TextInfo.ToTitleCase(w)));

    /// <summary>Writes the addon's files into <paramref name="folder"/>; returns their paths relative to it, in order.</summary>
    public static IReadOnlyList<string> Write(string name, string folder, string feed)
    {
        var assembly = typeof(AddonScaffold).Assembly;
        var written = new List<string>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            var relative = Replace(resource[ResourcePrefix.Length..].Replace('\\', '/'), name, feed);
            var path = Path.Combine(folder, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using var reader = new StreamReader(assembly.GetManifestResourceStream(resource)!);
            File.WriteAllText(path, Replace(reader.ReadToEnd(), name, feed));
            written.Add(relative);
        }

        return written;
    }

    private static string Replace(string text, string name, string feed) => TestPackageWords.Aggregate(text
            .Replace("addon_name", name, StringComparison.Ordinal)
            .Replace("AddonName", PascalCase(name), StringComparison.Ordinal)
            .Replace("PLUGINHOST_FEED", feed, StringComparison.Ordinal)
            .Replace("PLUGINHOST_VERSION", Version, StringComparison.Ordinal),
        (replaced, package) => replaced.Replace(package.Word, PackageVersions[package.Package], StringComparison.Ordinal));

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex TechnicalName();
}
