using System.Diagnostics;
using PluginHost.Addons.QueueJob;
using PluginHost.Sdk;
using TestQueueJob;

namespace PluginHost.Bench.Table;

/// <summary>
/// Enqueue in bulk: transactions of 1000 jobs, repeated. PluginHost stores them with its bulk API, one
/// <see cref="JobBatch"/> per transaction (its host running, eta a day ahead); bare SQL writes the same rows with one
/// multi-row INSERT.
/// </summary>
internal sealed class EnqueueBulkScenario(TableOptions options) : IScenario
{
    public string Title => $"Enqueue {options.BulkRepeats} × {options.BulkSize:N0} per transaction";

    public IReadOnlyList<string> Systems => [Table.Systems.PluginHost, Table.Systems.BareSql];

    public bool WarmsUp => true;

    public string? Reference => Table.Systems.BareSql;

    private int Jobs => options.BulkSize * options.BulkRepeats;

    public Task<Measurement> RunAsync(string system)
    {
        return BenchCluster.WithDatabaseAsync(async database =>
        {
            await using var host = await InProcessHost.BootAsync(database, DrainScenario.Workers, $"root:{DrainScenario.Workers}");
            if (system == Table.Systems.PluginHost)
            {
                await host.StartAsync();
                return await MeasureAsync(database, () => EnqueueThroughApiAsync(host), host.DisposeAsync);
            }

            var rows = await host.CaptureRowsAsync();
            host.ReleaseIdleConnections();
            await using var connection = await BenchCluster.OpenAsync(database, maxAutoPrepare: 10);
            return await MeasureAsync(database, () => rows.InsertManyAsync(connection, options.BulkSize, priority: 10, DateTime.UtcNow.AddDays(1)),
                connection.DisposeAsync);
        }, create: false);
    }

    private async Task EnqueueThroughApiAsync(InProcessHost host)
    {
        await using var env = await host.Database.BeginAsync();
        var records = env.Model<TestQueueJobModel>().Browse(host.RecordId);
        var eta = DateTime.UtcNow.AddDays(1);
        var batch = new JobBatch();
        for (var i = 0; i < options.BulkSize; i++)
        {
            batch.Add(records.WithDelay(eta: eta), x => x.Noop());
        }

        await batch.EnqueueAsync();
        await env.CommitAsync();
    }

    private async Task<Measurement> MeasureAsync(string database, Func<Task> transaction, Func<ValueTask> release)
    {
        await using var meter = await ResourceMeter.StartAsync(database);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < options.BulkRepeats; i++)
        {
            await transaction().WaitAsync(options.Limit);
        }

        clock.Stop();
        return new Measurement(Jobs, clock.Elapsed, await meter.StopAsync(release));
    }
}
