using System.Diagnostics;
using PluginHost.Addons.QueueJob;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Web;

/// <summary>
/// <c>/metrics</c> stays valid Prometheus text when a channel's name holds a double quote, a backslash and a newline
/// (issue 11, item 3: the hand-written exposition left the newline raw, breaking the line).
/// </summary>
public sealed class MetricsEscapingTests : RunningHostTestBase
{
    private const string Channel = "root.say \"hi\"\\ C:\\tmp\nnext";

    protected override string Channels => "root:2";

    [Test]
    public async Task A_channel_named_with_a_quote_a_backslash_and_a_newline_passes_a_strict_parser()
    {
        var (text, contentType) = await ScrapeAfterJobsOnTheChannelAsync();

        var families = PrometheusText.Parse(text);

        Assert.That(contentType, Is.EqualTo("text/plain; version=0.0.4; charset=utf-8"));
        Assert.That(text, Does.Contain("channel=\"root.say \\\"hi\\\"\\\\ C:\\\\tmp\\nnext\""), "the label value escaped as the format says");
        Assert.That(Value(families, "queue_job_jobs", "gauge", ("db", Database.Name), ("state", "done"), ("channel", Channel)), Is.EqualTo(1));
        Assert.That(Value(families, "queue_job_jobs", "gauge", ("db", Database.Name), ("state", "failed"), ("channel", Channel)), Is.EqualTo(1));
        Assert.That(Value(families, "queue_job_executions_total", "counter", ("channel", Channel), ("outcome", "done")), Is.EqualTo(1));
        Assert.That(Value(families, "queue_job_executions_total", "counter", ("channel", Channel), ("outcome", "failed")), Is.EqualTo(1));
        Assert.That(Value(families, "queue_job_execution_duration_seconds", "histogram", ("channel", Channel), ("le", "+Inf")), Is.EqualTo(2));
        Assert.That(families.Single(f => f.Name == "queue_job_execution_duration_seconds").Samples
            .Where(s => s.Name.EndsWith("_bucket", StringComparison.Ordinal) && s.Labels["channel"] == Channel).Select(s => s.Labels["le"]),
            Is.EqualTo(new[] { "0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "10", "30", "60", "300", "900", "+Inf" }),
            "the documented buckets");
        Assert.That(families.Single(f => f.Name == "http_server_request_duration_seconds").Type, Is.EqualTo("histogram"));
    }

    /// <summary>Prometheus's own checker, where it is installed (Debian's <c>prometheus</c> package); reported as not run otherwise.</summary>
    [Test]
    public async Task A_channel_named_with_a_quote_a_backslash_and_a_newline_passes_promtool()
    {
        var promtool = Environment.GetEnvironmentVariable("PATH")!.Split(Path.PathSeparator).Select(d => Path.Combine(d, "promtool")).FirstOrDefault(File.Exists);
        if (promtool is null)
        {
            Assert.Ignore("not run: promtool is not installed (apt-get install prometheus); the strict parser test covers the format");
        }

        var (text, _) = await ScrapeAfterJobsOnTheChannelAsync();

        using var check = Process.Start(new ProcessStartInfo(promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        await check.StandardInput.WriteAsync(text);
        check.StandardInput.Close();
        var output = await check.StandardOutput.ReadToEndAsync() + await check.StandardError.ReadToEndAsync();
        await check.WaitForExitAsync();

        Assert.That(check.ExitCode, Is.Zero, $"promtool check metrics: {output}\n--- /metrics:\n{text}");
    }

    /// <summary>Runs a done and a failed job on the channel, then scrapes once the counts read after them are served.</summary>
    private async Task<(string Text, string ContentType)> ScrapeAfterJobsOnTheChannelAsync()
    {
        await using var listener = await Database.ListenAsync();
        await using (var env = await Host.Database.BeginAsync())
        {
            var records = env.Model<TestQueueJobModel>();
            var record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = "escaping" }));
            await record.WithDelay(channel: Channel).EnqueueAsync(x => x.WriteNoteAsync("a"));
            await record.WithDelay(channel: Channel).EnqueueAsync(x => x.FailNow());
            await env.CommitAsync();
        }

        await listener.UntilAsync(async () => await Database.ScalarAsync<long>("SELECT count(*) FROM queue_job WHERE state IN ('done', 'failed')") == 2);
        using var http = TestHost.MetricsClient(Options);
        var (text, contentType) = ("", "");
        await Eventually.UntilAsync(async () =>
        {
            using var response = await http.GetAsync("/metrics");
            (text, contentType) = (await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.ToString() ?? "");
            return text.Contains("outcome=\"failed\"} 1", StringComparison.Ordinal) && text.Contains("state=\"failed\"", StringComparison.Ordinal);
        }, 15);
        return (text, contentType);
    }

    /// <summary>The value of the one sample of <paramref name="name"/> (or its histogram's bucket) with these labels, the family of this type.</summary>
    private static double Value(IReadOnlyList<PrometheusFamily> families, string name, string type, params (string Label, string Value)[] labels)
    {
        var family = families.SingleOrDefault(f => f.Name == name) ?? throw new AssertionException($"no family {name}");
        Assert.That(family.Type, Is.EqualTo(type), name);
        var sampleName = type == "histogram" ? name + "_bucket" : name;
        var matching = family.Samples.Where(s => s.Name == sampleName && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value)).ToList();
        return matching.Count == 1 ? matching[0].Value : throw new AssertionException($"{matching.Count} samples of {sampleName} with {string.Join(",", labels)}");
    }
}
