using PluginHost.Addons.QueueJob;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Web;

/// <summary><c>/metrics</c> after real jobs ran: jobs by state and channel, executions by outcome, the duration histogram.</summary>
public sealed class MetricsTests : RunningHostTestBase
{
    protected override string Channels => "root:2,sub:1";

    [Test]
    public async Task Jobs_executions_and_durations_are_exposed_in_the_prometheus_text_format()
    {
        await using var listener = await Database.ListenAsync();
        await using (var env = await Host.Database.BeginAsync())
        {
            var records = env.Model<TestQueueJobModel>();
            var record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = "metrics" }));
            await record.WithDelay().EnqueueAsync(x => x.WriteNoteAsync("a"));
            await record.WithDelay().EnqueueAsync(x => x.WriteNoteAsync("b"));
            await record.WithDelay().EnqueueAsync(x => x.FailNow());
            await record.WithDelay(channel: "root.sub").EnqueueAsync(x => x.WriteNoteAsync("c"));
            await env.CommitAsync();
        }

        await listener.UntilAsync(async () => await Database.ScalarAsync<long>("SELECT count(*) FROM queue_job WHERE state IN ('done', 'failed')") == 4);
        using var http = TestHost.MetricsClient(Options);
        // A node counts an execution just after its commit: wait for the last one to be counted.
        // The counts by state are read every few seconds, off the scrape path: wait for the read after the last job.
        var db = $"db=\"{Database.Name}\"";
        var lines = Array.Empty<string>();
        await Eventually.UntilAsync(async () => (lines = (await http.GetStringAsync("/metrics")).Split('\n'))
            .Contains("queue_job_execution_duration_seconds_count{channel=\"root\"} 3")
            && lines.Contains($"queue_job_jobs{{{db},state=\"done\",channel=\"root.sub\"}} 1"), 15);

        Assert.That(lines, Does.Contain($"queue_job_jobs{{{db},state=\"done\",channel=\"root\"}} 2"));
        Assert.That(lines, Does.Contain($"queue_job_jobs{{{db},state=\"failed\",channel=\"root\"}} 1"));
        Assert.That(lines, Does.Contain($"queue_job_jobs{{{db},state=\"done\",channel=\"root.sub\"}} 1"));
        Assert.That(lines, Does.Contain("queue_job_executions_total{channel=\"root\",outcome=\"done\"} 2"));
        Assert.That(lines, Does.Contain("queue_job_executions_total{channel=\"root\",outcome=\"failed\"} 1"));
        Assert.That(lines, Does.Contain("queue_job_executions_total{channel=\"root.sub\",outcome=\"done\"} 1"));
        Assert.That(lines, Does.Contain("queue_job_execution_duration_seconds_count{channel=\"root\"} 3"));
        Assert.That(lines, Does.Contain("queue_job_execution_duration_seconds_bucket{channel=\"root\",le=\"+Inf\"} 3"));
        Assert.That(lines, Does.Contain("queue_job_execution_duration_seconds_bucket{channel=\"root\",le=\"900\"} 3"), "cumulative buckets end at the count");
    }
}
