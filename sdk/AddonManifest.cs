namespace PluginHost.Sdk;

/// <summary>
/// What an addon's <c>manifest.json</c> or <c>manifest.xml</c> declares: its technical name, version,
/// dependencies, data files, main assembly, and the job channels and functions it uses. Both formats share one schema, documented in
/// <c>manifests/README.md</c>.
/// </summary>
public sealed record AddonManifest
{
    /// <summary>Technical name, unique on the addons path (<c>queue_job</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Version of the addon; a change makes <c>-u</c> reload it.</summary>
    public required string Version { get; init; }

    /// <summary>One-line description shown in listings.</summary>
    public string Summary { get; init; } = "";

    /// <summary>Technical names of the addons this one needs, installed and loaded before it.</summary>
    public IReadOnlyList<string> Depends { get; init; } = [];

    /// <summary>Data files (XML or JSON) loaded in this order on install and update, relative to the addon folder.</summary>
    public IReadOnlyList<string> Data { get; init; } = [];

    /// <summary>Main assembly relative to the addon folder (<c>bin/MyAddon.dll</c>); empty for a data-only addon.</summary>
    public string? Assembly { get; init; }

    /// <summary>False hides the addon from installation.</summary>
    public bool Installable { get; init; } = true;

    /// <summary>Installed on its own once every addon it depends on is installed, as in Odoo.</summary>
    public bool AutoInstall { get; init; }

    /// <summary>Licence identifier (<c>LGPL-3</c>, <c>MIT</c>, ...).</summary>
    public string License { get; init; } = "";

    /// <summary>Author or authors.</summary>
    public string Author { get; init; } = "";

    /// <summary>
    /// Job channels the addon uses, by complete name (<c>root.shop</c>); queue_job makes them channel records, with
    /// the missing parents. Declaring any needs queue_job in <see cref="Depends"/>.
    /// </summary>
    public IReadOnlyList<string> Channels { get; init; } = [];

    /// <summary>Job functions the addon declares; queue_job makes them job function records.</summary>
    public IReadOnlyList<ManifestJobFunction> JobFunctions { get; init; } = [];
}
