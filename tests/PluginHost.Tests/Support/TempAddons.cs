namespace PluginHost.Tests.Support;

/// <summary>A temporary addons folder where a test writes addon folders (manifests and data files), deleted afterwards.</summary>
internal sealed class TempAddons : IDisposable
{
    public TempAddons()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "pluginhost-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="content"/> to <c>addon/relativePath</c> and returns the full path.</summary>
    public string Write(string addon, string relativePath, string content)
    {
        var file = System.IO.Path.Combine(Path, addon, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        return file;
    }

    /// <summary>A data-only addon with a JSON manifest.</summary>
    public string DataAddon(string name, string[] depends, params string[] dataFiles)
    {
        var depend = string.Join(", ", depends.Select(d => $"\"{d}\""));
        var data = string.Join(", ", dataFiles.Select(d => $"\"{d}\""));
        return Write(name, "manifest.json", $$"""{ "name": "{{name}}", "version": "1.0", "depends": [{{depend}}], "data": [{{data}}] }""");
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
