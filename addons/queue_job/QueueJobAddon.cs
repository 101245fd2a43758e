using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Addons.Web;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob;

/// <summary>The queue_job addon: job models and tables, the Job Queue pages, and the runner and executors when server-wide.</summary>
public sealed class QueueJobAddon : Addon
{
    /// <summary>Registers <c>queue.job</c>, <c>queue.job.channel</c> and <c>queue.job.function</c>.</summary>
    public override void RegisterModels(ModelRegistryBuilder models) =>
        models.Add<QueueJob>().Add<QueueJobChannel>().Add<QueueJobFunction>();

    /// <summary>The embedded <c>Migrations/*.sql</c>.</summary>
    public override IEnumerable<SchemaMigration> Migrations => SchemaMigration.FromResources(typeof(QueueJobAddon).Assembly);

    /// <summary><c>[queue_job]</c> (and <c>ODOO_QUEUE_JOB_*</c>): the channels, the node timeout and runjob's credentials.</summary>
    public override IReadOnlyCollection<string> ConfigurationKeys => ["channels", "node_timeout", "http_auth_user", "http_auth_password"];

    /// <summary>Upstream's keys for reaching Odoo over HTTP and the runner's own database connection: jobs run in the node here.</summary>
    public override IReadOnlyCollection<string> IgnoredConfigurationKeys =>
        ["scheme", "host", "port", "jobrunner_db_host", "jobrunner_db_port", "jobrunner_db_user", "jobrunner_db_password"];

    /// <summary>The channel and job function records of an addon's manifest (<see cref="ManifestRecords"/>).</summary>
    public override IEnumerable<DataRecord> RecordsDeclaredBy(AddonManifest manifest) => ManifestRecords.Of(manifest);

    /// <summary><c>host queue</c>: list, stats, requeue, cancel, done and enqueue jobs; list channels and job functions.</summary>
    public override IReadOnlyList<AddonCommand> Commands => [QueueCommand.Declaration];

    /// <summary>The channels string and the node timeout, before any connection: a mistake there stops the start at once.</summary>
    public override void CheckConfiguration(IConfigurationSection section)
    {
        RunnerOptions.From(section);
        NodeOptions.From(section);
    }

    /// <summary>
    /// Adds the pages (the console), menu, static files and metrics; when server-wide, the queues of the served databases: executors,
    /// and the runner unless <c>root:0</c>.
    /// </summary>
    public override void ConfigureServices(IServiceCollection services, AddonContext context)
    {
        var runner = RunnerOptions.From(context.Section);
        var nodes = NodeOptions.From(context.Section);
        var templates = Path.Combine(context.Directory, "templates");
        services.AddSingleton(new WebMenu("Job Queue", "/queue_job/jobs", 50, JobQueueAccess.ManagerGroup));
        services.AddSingleton(new WebStaticFiles("queue_job", Path.Combine(context.Directory, "static")));
        services.AddSingleton<JobMetrics>();
        services.AddSingleton(JobMetrics.Jobs);
        services.AddSingleton(JobMetrics.Executions);
        services.AddSingleton(JobMetrics.ExecutionDuration);
        services.AddSingleton(RelatedAction.OpenRecord);
        services.AddSingleton<RelatedActions>();
        foreach (var key in JobContextKey.Defaults)
        {
            services.AddSingleton(key);
        }

        services.AddSingleton(runner);
        services.AddSingleton(sp => new JobFailureNotifier(sp.GetServices<IJobFailureHandler>(), sp.GetRequiredService<ILogger<JobFailureNotifier>>()));
        services.AddSingleton<NodeIdentity>();
        services.AddSingleton<JobPerformers>();
        services.AddSingleton<WorkerSlots>();
        var (user, password) = (context.Section["http_auth_user"], context.Section["http_auth_password"]);
        services.AddSingleton<IWebRoutes>(sp => new RunJobEndpoint(sp.GetRequiredService<JobPerformers>(), sp.GetRequiredService<WorkerSlots>(),
            user, password, sp.GetRequiredService<ILogger<RunJobEndpoint>>()));
        services.AddSingleton<IWebRoutes>(sp => new JobListPages(sp.GetRequiredService<PageRenderer>(), sp.GetRequiredService<QueueSnapshots>(), templates));
        services.AddSingleton<IWebRoutes>(sp => new JobBulkPages(sp.GetRequiredService<PageRenderer>(), templates));
        services.AddSingleton<IWebRoutes>(sp => new JobPages(sp.GetRequiredService<PageRenderer>(), sp.GetRequiredService<QueueSnapshots>(),
            sp.GetRequiredService<RelatedActions>(), templates, sp.GetRequiredService<ILogger<JobPages>>()));
        AddConsole(services, nodes, templates);
        if (!context.IsServerWide)
        {
            // The host's own jobs by state and channel, for /metrics when web serves it.
            services.AddHostedService(sp => new JobCountsRefresh(sp.GetRequiredService<Database>(), sp.GetRequiredService<JobMetrics>(),
                sp.GetRequiredService<ILogger<JobCountsRefresh>>()));
            if (user is not null && password is not null)
            {
                // A node running jobs handed over by runjob heartbeats like any executor node, so its jobs are not taken for dead.
                services.AddHostedService(sp => new NodeHeartbeat(sp.GetRequiredService<Database>(), sp.GetRequiredService<NodeIdentity>(), nodes,
                    sp.GetRequiredService<ILogger<NodeHeartbeat>>()));
            }

            return;
        }

        // Every server-wide node runs executors for each database it serves; the runner only where root has
        // capacity (one is active per database).
        services.AddSingleton<Func<Database, JobPerformer, DatabaseQueue>>(sp => (database, performer) => new DatabaseQueue(database, runner, nodes,
            sp.GetRequiredService<NodeIdentity>(), sp.GetRequiredService<HostSettings>(), sp.GetRequiredService<WorkerSlots>(), performer,
            sp.GetRequiredService<JobMetrics>(), sp.GetRequiredService<JobFailureNotifier>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService<DatabaseQueues>();
    }

    /// <summary>The dashboard, the Channels and Job Functions screens, and the live updates they share (<see cref="QueueSnapshots"/>).</summary>
    private static void AddConsole(IServiceCollection services, NodeOptions nodes, string templates)
    {
        services.AddSingleton(sp => new QueueSnapshots(nodes, TimeProvider.System, sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton<IWebRoutes>(sp => new LiveRoutes(sp.GetRequiredService<QueueSnapshots>()));
        services.AddSingleton<IWebRoutes>(sp => new DashboardPages(sp.GetRequiredService<QueueSnapshots>(),
            sp.GetRequiredService<PageRenderer>(), templates));
        services.AddSingleton<IWebRoutes>(sp => new ChannelPages(sp.GetRequiredService<QueueSnapshots>(),
            sp.GetRequiredService<PageRenderer>(), templates));
        services.AddSingleton<IWebRoutes>(sp => new FunctionPages(sp.GetRequiredService<PageRenderer>(),
            sp.GetRequiredService<RelatedActions>(), templates));
    }
}
