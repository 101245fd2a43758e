using System.Text.Json;
using PluginHost.Addons.QueueJob.Internal;

namespace PluginHost.Tests.Web;

/// <summary>How the job page writes a job's run for people, and the note of a graph too large to draw whole (issue 12, item 2).</summary>
public sealed class JobPageViewTests
{
    private static readonly DateTime Created = new(2024, 5, 3, 12, 0, 0, DateTimeKind.Utc);

    [Test]
    public void Durations_are_written_in_the_largest_units()
    {
        Assert.That(new[] { 0.042, 12.34, 245, 11_040, 183_600, -3 }.Select(s => JobFieldFormat.Duration(TimeSpan.FromSeconds(s))),
            Is.EqualTo(new[] { "0.042 s", "12.3 s", "4 min 5 s", "3 h 4 min", "2 d 3 h", "-3.0 s" }));
    }

    [Test]
    public void The_timeline_has_the_steps_the_job_went_through_each_after_the_one_before()
    {
        var run = Run() with { DateEnqueued = Created.AddSeconds(2), DateCancelled = Created.AddMinutes(90) };

        Assert.That(JobPageMoment.Timeline(run).Select(m => $"{m.Label}: {m.When} {m.After}".Trim()), Is.EqualTo(new[]
        {
            "Created: Fri 2024-05-03 12:00:00 UTC",
            "Enqueued: Fri 2024-05-03 12:00:02 UTC 2.0 s after created",
            "Cancelled: Fri 2024-05-03 13:30:00 UTC 1 h 29 min after enqueued",
        }));
    }

    [Test]
    public void A_graph_larger_than_the_cap_says_how_much_is_drawn_and_the_eta_how_far_it_is()
    {
        var nodes = new List<JobGraphNode> { new("u1", "A", "done", 0, 0), new("u2", "B", "pending", 1, 0) };
        var job = Job() with { Graph = new JobGraphData(JobGraphData.Cap + 200, nodes, [new JobGraphEdge("u1", "u2")]), Run = Run() with { Eta = Created.AddMinutes(3) } };

        var view = JobPageView.Of(job, Created);

        Assert.That(view.GraphNote, Is.EqualTo("This graph has 500 jobs: the first 2 are drawn."));
        Assert.That(view.GraphSvg, Does.StartWith("<svg id=\"job-graph\""));
        Assert.That(view.Eta, Is.EqualTo("Fri 2024-05-03 12:03:00 UTC (in 3 min 0 s)"));
    }

    private static JobPageRun Run() => new(0, 5, 2, "Administrator", Created, null, null, null, null, null, null, null, null);

    private static JobPageData Job() => new(
        "u1",
        "pending",
        ["cancel", "done"],
        new JobPageJob("A", "test.queue.job(1,).Run()", "root", 10, null, null, "graph"),
        Run(),
        new JobPageArguments("test.queue.job", "Run", Json("[1]"), Json("[]"), Json("{}")),
        null,
        null,
        new JobPageRelated(null, null),
        null);

    private static JsonElement Json(string text) => JsonSerializer.Deserialize<JsonElement>(text);
}
