using Microsoft.Extensions.Configuration;

namespace PluginHost.Sdk;

/// <summary>What the host tells an addon about itself when it asks the addon for its services.</summary>
/// <param name="Manifest">The addon's manifest.</param>
/// <param name="Directory">Absolute path of the addon folder (manifest, data files, templates).</param>
/// <param name="IsServerWide">True when the addon is named by <c>--load</c>: it may start servers and runners.</param>
/// <param name="Configuration">The whole host configuration; <c>[options]</c> and one section per addon.</param>
public sealed record AddonContext(AddonManifest Manifest, string Directory, bool IsServerWide, IConfiguration Configuration)
{
    /// <summary>This addon's own section of the configuration file (<c>[queue_job]</c> for queue_job).</summary>
    public IConfigurationSection Section => Configuration.GetSection(Manifest.Name);
}
