using System.Diagnostics.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace PluginHost.Addons.Web.Internal;

/// <summary>
/// The web addon's Prometheus registry, fed by a <see cref="MeterListener"/> with the instruments every
/// <see cref="PrometheusMetric"/> declares, among the meters of this host's <see cref="IMeterFactory"/> alone (another
/// host in the process has its own). Observable gauges are observed before each scrape, from values their owners keep
/// up to date off the scrape path. The registry is not prometheus-net's global one: no process or runtime metrics.
/// </summary>
internal sealed class PrometheusExporter : IHostedService, IDisposable
{
    private readonly Dictionary<(string Meter, string Instrument), PrometheusMetric> _declared;
    private readonly IMeterFactory _meters;
    private readonly ILogger _logger;
    private readonly MetricFactory _factory;
    private readonly MeterListener _listener = new();
    private readonly List<GaugePublication> _gauges = [];
    private readonly Lock _observing = new();

    public PrometheusExporter(IEnumerable<PrometheusMetric> metrics, IMeterFactory meters, ILogger<PrometheusExporter> logger)
    {
        var declared = metrics.ToList();
        declared.ForEach(m => m.Validate());
        if (declared.GroupBy(m => m.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"metric '{twice.Key}' is declared for {string.Join(" and ", twice.Select(m => $"{m.Meter}/{m.Instrument}"))}: a name publishes one instrument.");
        }

        _declared = declared.ToDictionary(m => (m.Meter, m.Instrument));
        (_meters, _logger) = (meters, logger);
        _factory = Metrics.WithCustomRegistry(Registry);
        Registry.AddBeforeCollectCallback(ObserveGauges);
        _listener.InstrumentPublished = Publish;
        _listener.SetMeasurementEventCallback<long>((_, value, tags, state) => ((InstrumentPublication)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>((_, value, tags, state) => ((InstrumentPublication)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, state) => ((InstrumentPublication)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>((_, value, tags, state) => ((InstrumentPublication)state!).Record(value, tags));
    }

    /// <summary>What <c>/metrics</c> serves.</summary>
    public CollectorRegistry Registry { get; } = Metrics.NewCustomRegistry();

    /// <summary>Starts listening: before the queues start (hosted services start in order), so no measurement is missed.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();

    private void Publish(Instrument instrument, MeterListener listener)
    {
        if (!ReferenceEquals(instrument.Meter.Scope, _meters) || !_declared.TryGetValue((instrument.Meter.Name, instrument.Name), out var metric))
        {
            return;
        }

        if (InstrumentPublication.For(instrument, metric, _factory) is not { } publication)
        {
            _logger.LogWarning("metric {Metric}: {Meter}/{Instrument} is a {Kind}, which /metrics does not publish (a Counter, Histogram or ObservableGauge is)",
                metric.Name, instrument.Meter.Name, instrument.Name, instrument.GetType().Name);
            return;
        }

        if (publication is GaugePublication gauge)
        {
            lock (_observing)
            {
                _gauges.Add(gauge);
            }
        }

        listener.EnableMeasurementEvents(instrument, publication);
    }

    /// <summary>Observes the gauges for a scrape; concurrent scrapes take turns, so a round sees every observation it asked for.</summary>
    private void ObserveGauges()
    {
        lock (_observing)
        {
            _gauges.ForEach(g => g.BeginRound());
            _listener.RecordObservableInstruments();
            _gauges.ForEach(g => g.EndRound());
        }
    }
}
