using Microsoft.Extensions.Configuration;

namespace PluginHost.Host.Configuration;

/// <summary>
/// The <c>ODOO_QUEUE_JOB_*</c> environment variables as <c>[queue_job]</c> keys (<c>ODOO_QUEUE_JOB_CHANNELS</c> sets
/// <c>channels</c>), as the original addon honours them; a provider of its own, so a key can be traced to its variable.
/// </summary>
public sealed class QueueJobVariables(System.Collections.IDictionary environment) : ConfigurationProvider, IConfigurationSource
{
    /// <summary>The prefix of the variables.</summary>
    public const string Prefix = "ODOO_QUEUE_JOB_";

    /// <summary>The variable that sets <paramref name="key"/> of <c>[queue_job]</c>.</summary>
    public static string VariableOf(string key) => Prefix + key.ToUpperInvariant();

    /// <inheritdoc />
    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    /// <inheritdoc />
    public override void Load()
    {
        foreach (System.Collections.DictionaryEntry entry in environment)
        {
            if (entry.Key is string name && name.StartsWith(Prefix, StringComparison.Ordinal))
            {
                Data[$"queue_job:{name[Prefix.Length..].ToLowerInvariant()}"] = entry.Value as string;
            }
        }
    }
}
