using System.Text.RegularExpressions;
using PluginHost.Host.Text;
using PluginHost.Sdk;

namespace PluginHost.Host.Manifests;

/// <summary>
/// The one schema of <c>manifest.json</c> and <c>manifest.xml</c>: the fields, their kinds, and the checks
/// every reader applies after parsing. Documented field by field in <c>manifests/README.md</c>.
/// </summary>
public static partial class ManifestSchema
{
    /// <summary>Every field a manifest may hold.</summary>
    public static readonly IReadOnlyList<ManifestField> Fields =
    [
        new("name", ManifestFieldKind.Text, true, "a technical name: lowercase letters, digits and '_', starting with a letter"),
        new("version", ManifestFieldKind.Text, true, "a version such as \"1.0.0\" (digits separated by dots)"),
        new("summary", ManifestFieldKind.Text, false, "a one-line description"),
        new("depends", ManifestFieldKind.TextList, false, "a list of addon technical names"),
        new("data", ManifestFieldKind.TextList, false, "a list of data file paths (.xml or .json) relative to the addon folder"),
        new("assembly", ManifestFieldKind.Text, false, "the main DLL path relative to the addon folder, e.g. \"bin/MyAddon.dll\""),
        new("installable", ManifestFieldKind.Boolean, false, "true or false"),
        new("auto_install", ManifestFieldKind.Boolean, false, "true or false"),
        new("license", ManifestFieldKind.Text, false, "a licence identifier such as \"LGPL-3\""),
        new("author", ManifestFieldKind.Text, false, "the author's name"),
        new("channels", ManifestFieldKind.TextList, false, "a list of complete job channel names such as \"root.shop\""),
        new("job_functions", ManifestFieldKind.EntryList, false,
            "a list of job functions, each with model, method and optionally channel, retry_pattern, related_action and timeout"),
    ];

    /// <summary>The field called <paramref name="name"/>, or an error naming the closest known field.</summary>
    public static ManifestField Field(string file, string name) =>
        Fields.FirstOrDefault(f => f.Name == name)
        ?? throw new ManifestException(file, name, $"unknown field{ClosestName.Hint(name, Fields.Select(f => f.Name))}. Expected one of: {string.Join(", ", Fields.Select(f => f.Name))}.");

    /// <summary>Builds the manifest from parsed values and checks what the field kinds cannot.</summary>
    public static AddonManifest Bind(string file, IReadOnlyDictionary<string, object> values)
    {
        foreach (var field in Fields.Where(f => f.Required && !values.ContainsKey(f.Name)))
        {
            throw new ManifestException(file, field.Name, $"is required: expected {field.Expected}.");
        }

        var manifest = new AddonManifest
        {
            Name = Text(values, "name")!,
            Version = Text(values, "version")!,
            Summary = Text(values, "summary") ?? "",
            Depends = List(values, "depends"),
            Data = List(values, "data"),
            Assembly = Text(values, "assembly"),
            Installable = Flag(values, "installable") ?? true,
            AutoInstall = Flag(values, "auto_install") ?? false,
            License = Text(values, "license") ?? "",
            Author = Text(values, "author") ?? "",
            Channels = ManifestDeclarations.Channels(file, List(values, "channels")),
            JobFunctions = ManifestDeclarations.JobFunctions(file,
                values.TryGetValue("job_functions", out var entries) ? (IReadOnlyList<ManifestEntry>)entries : []),
        };
        Check(file, manifest);
        return manifest;
    }

    private static void Check(string file, AddonManifest manifest)
    {
        if (!TechnicalName().IsMatch(manifest.Name))
        {
            throw new ManifestException(file, "name", $"'{manifest.Name}' is not {Fields[0].Expected}.");
        }

        var folderName = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(file)));
        if (manifest.Name != folderName)
        {
            throw new ManifestException(file, "name", $"'{manifest.Name}' must match the addon folder name '{folderName}'.");
        }

        if (!VersionText().IsMatch(manifest.Version))
        {
            throw new ManifestException(file, "version", $"'{manifest.Version}' is not {Fields[1].Expected}.");
        }

        foreach (var dependency in manifest.Depends.Where(d => !TechnicalName().IsMatch(d)))
        {
            throw new ManifestException(file, "depends", $"'{dependency}' is not an addon technical name.");
        }

        if (manifest.Depends.Contains(manifest.Name))
        {
            throw new ManifestException(file, "depends", $"an addon cannot depend on itself ('{manifest.Name}').");
        }

        var folder = Path.GetDirectoryName(file)!;
        foreach (var dataFile in manifest.Data)
        {
            var extension = Path.GetExtension(dataFile);
            if (extension is not (".xml" or ".json"))
            {
                throw new ManifestException(file, "data", $"'{dataFile}' is not a .xml or .json data file.");
            }

            if (!File.Exists(Path.Combine(folder, dataFile)))
            {
                throw new ManifestException(file, "data", $"data file '{dataFile}' does not exist in {folder}.");
            }
        }

        if (manifest.Assembly is { Length: > 0 } assembly && !assembly.EndsWith(".dll", StringComparison.Ordinal))
        {
            throw new ManifestException(file, "assembly", $"'{assembly}' is not {Fields[5].Expected}.");
        }
    }

    private static string? Text(IReadOnlyDictionary<string, object> values, string name) =>
        values.TryGetValue(name, out var value) ? (string)value : null;

    private static IReadOnlyList<string> List(IReadOnlyDictionary<string, object> values, string name) =>
        values.TryGetValue(name, out var value) ? (IReadOnlyList<string>)value : [];

    private static bool? Flag(IReadOnlyDictionary<string, object> values, string name) =>
        values.TryGetValue(name, out var value) ? (bool)value : null;

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex TechnicalName();

    [GeneratedRegex(@"^\d+(\.\d+)*$")]
    private static partial Regex VersionText();
}
