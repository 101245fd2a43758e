using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Addons.Web.Internal;

namespace PluginHost.Bench;

/// <summary>
/// What counting one execution costs a job: <see cref="JobMetrics.Record"/> with no listener, and with the web
/// addon's exporter publishing the counter and the histogram (a series that exists already). Needs no database.
/// </summary>
[MemoryDiagnoser]
public class JobMetricsRecord
{
    private static readonly TimeSpan Duration = TimeSpan.FromMilliseconds(12);

    private ServiceProvider _services = null!;
    private JobMetrics _metrics = null!;

    [Params(false, true)]
    public bool Exported { get; set; }

    [GlobalSetup]
    public async Task SetUpAsync()
    {
        var services = new ServiceCollection().AddMetrics().AddLogging();
        services.AddSingleton(JobMetrics.Executions).AddSingleton(JobMetrics.ExecutionDuration).AddSingleton(JobMetrics.Jobs);
        services.AddSingleton<PrometheusExporter>().AddSingleton<JobMetrics>();
        _services = services.BuildServiceProvider();
        if (Exported)
        {
            await _services.GetRequiredService<PrometheusExporter>().StartAsync(CancellationToken.None);
        }

        _metrics = _services.GetRequiredService<JobMetrics>();
        _metrics.Record("root.exports", "done", Duration);
    }

    [GlobalCleanup]
    public async Task CleanUpAsync() => await _services.DisposeAsync();

    [Benchmark]
    public void Record() => _metrics.Record("root.exports", "done", Duration);
}
