using Microsoft.Extensions.DependencyInjection;

namespace PluginHost.Sdk;

/// <summary>
/// The entry point of an addon: one public non-abstract subclass per addon assembly. The host creates it
/// after loading the assembly, asks for its models, migrations and commands, and, for loaded addons, its services.
/// </summary>
/// <example>
/// <code>
/// public sealed class DemoAddon : Addon
/// {
///     public override void RegisterModels(ModelRegistryBuilder models) =&gt; models.Add&lt;DemoOrder&gt;();
///     public override IEnumerable&lt;SchemaMigration&gt; Migrations =&gt; SchemaMigration.FromResources(GetType().Assembly);
/// }
/// </code>
/// </example>
public abstract class Addon
{
    /// <summary>Adds the addon's model classes, or subclasses extending another addon's models.</summary>
    public virtual void RegisterModels(ModelRegistryBuilder models)
    {
    }

    /// <summary>Schema changes of this addon, each applied once per database in version order.</summary>
    public virtual IEnumerable<SchemaMigration> Migrations => [];

    /// <summary>
    /// The keys this addon reads from its configuration section (<c>[name]</c> of the <c>-c</c> file, see
    /// <see cref="AddonContext.Section"/>): the host warns about any other key there, naming the nearest of these.
    /// Null (the default) declares nothing, and the section is not checked.
    /// </summary>
    public virtual IReadOnlyCollection<string>? ConfigurationKeys => null;

    /// <summary>
    /// Keys the original (Odoo) addon reads that this one accepts without using them: the host reports them once as
    /// ignored, not as typos.
    /// </summary>
    public virtual IReadOnlyCollection<string> IgnoredConfigurationKeys => [];

    /// <summary>
    /// Checks this addon's configuration section when the addon is server-wide, before the host connects to any
    /// database: throw <see cref="ArgumentException"/> naming the key and the expected value to stop the start as a
    /// configuration error (exit code 2).
    /// </summary>
    public virtual void CheckConfiguration(Microsoft.Extensions.Configuration.IConfigurationSection section)
    {
    }

    /// <summary>
    /// The records this addon makes of what <paramref name="manifest"/>, another addon's (or its own), declares for it:
    /// queue_job makes <see cref="AddonManifest.Channels"/> and <see cref="AddonManifest.JobFunctions"/> into channel and
    /// job function records. At each install and update of that addon they are loaded before its data files, owned by
    /// it, with the external ids given (never noupdate); an update removes those that left its manifest.
    /// </summary>
    public virtual IEnumerable<DataRecord> RecordsDeclaredBy(AddonManifest manifest) => [];

    /// <summary>
    /// The commands this addon adds to <c>host</c>. The host reads them after loading the addon DLLs on the addons path and
    /// before any connection, so help, completion and usage errors need no database; a command runs only where the addon is
    /// installed.
    /// </summary>
    /// <example>
    /// <code>
    /// public override IReadOnlyList&lt;AddonCommand&gt; Commands =&gt; [new AddonCommand("demo", "print the orders") { Run = DemoCommand.RunAsync }];
    /// </code>
    /// </example>
    public virtual IReadOnlyList<AddonCommand> Commands => [];

    /// <summary>Adds services to the running host; server-wide addons start their servers here.</summary>
    public virtual void ConfigureServices(IServiceCollection services, AddonContext context)
    {
    }
}
