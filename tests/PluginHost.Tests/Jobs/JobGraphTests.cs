using Microsoft.Extensions.Logging;
using PluginHost.Addons.QueueJob;
using PluginHost.Sdk;
using PluginHost.Sdk.Advanced;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>Chains, groups and the dependency states of a job graph (issue 3, points 1 and 2).</summary>
public sealed class JobGraphTests : JobTestBase
{
    private Dictionary<string, string> _uuid = null!;

    [SetUp]
    public async Task StoreGraphAsync()
    {
        // A, then B and C side by side, then D.
        var stored = await Jobs.EnqueueAsync(async r =>
        {
            var (a, b, c, d) = (await NodeAsync(r, "A"), await NodeAsync(r, "B"), await NodeAsync(r, "C"), await NodeAsync(r, "D"));
            return await JobGraph.Chain(a, JobGraph.Group(b, c), d).DelayAsync();
        });
        var names = await Jobs.Database.ColumnAsync<string>("SELECT name FROM queue_job ORDER BY id");
        _uuid = names.Zip(stored, (name, job) => (name, job.Uuid)).ToDictionary(p => p.name, p => p.Uuid);
    }

    [Test]
    public async Task A_graph_is_stored_with_one_graph_uuid_and_only_its_head_runnable()
    {
        Assert.That(await StatesAsync(), Is.EqualTo("A:pending B:wait_dependencies C:wait_dependencies D:wait_dependencies"));
        Assert.That(await Jobs.Database.ScalarAsync<long>("SELECT count(DISTINCT graph_uuid) FROM queue_job WHERE graph_uuid IS NOT NULL"), Is.EqualTo(1));
        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT dependencies::text FROM queue_job WHERE uuid = $1", _uuid["D"]),
            Does.Contain(_uuid["B"]).And.Contain(_uuid["C"]));
    }

    [Test]
    public async Task A_job_knows_its_graph_nodes_and_edges()
    {
        await using var env = await Jobs.Host.Database.BeginAsync();
        var d = JobRecord(env, "D");
        var ids = new Dictionary<string, long>();
        foreach (var name in new[] { "A", "B", "C", "D" })
        {
            ids[name] = JobRecord(env, name).Id;
        }

        var (nodes, edges) = await d.DependencyGraphAsync();

        Assert.That(await d.GraphJobsCountAsync(), Is.EqualTo(4));
        Assert.That(nodes, Is.EquivalentTo(ids.Values));
        Assert.That(edges, Is.EquivalentTo(new[] { (ids["A"], ids["B"]), (ids["A"], ids["C"]), (ids["B"], ids["D"]), (ids["C"], ids["D"]) }));
    }

    [Test]
    public async Task The_chain_runs_a_then_b_and_c_side_by_side_then_d()
    {
        var seen = new List<string>();

        await RunAsync("A");
        seen.Add(await StatesAsync());
        await RunAsync("B");
        seen.Add(await StatesAsync());
        await RunAsync("C");
        seen.Add(await StatesAsync());
        await RunAsync("D");
        seen.Add(await StatesAsync());

        Assert.That(seen, Is.EqualTo(new[]
        {
            "A:done B:pending C:pending D:wait_dependencies",
            "A:done B:done C:pending D:wait_dependencies",
            "A:done B:done C:done D:pending",
            "A:done B:done C:done D:done",
        }));
    }

    [Test]
    public async Task A_failed_b_keeps_d_waiting_and_requeueing_b_finishes_the_graph()
    {
        await Jobs.Database.ScalarAsync<object>("UPDATE test_queue_job SET note = 'fail' WHERE name = 'B'");
        await RunAsync("A");
        await RunAsync("B");
        await RunAsync("C");
        var afterFailure = await StatesAsync();

        await Jobs.Database.ScalarAsync<object>("UPDATE test_queue_job SET note = NULL");
        await ActAsync("B", jobs => jobs.RequeueAsync());
        await RunAsync("B");
        await RunAsync("D");

        Assert.That(afterFailure, Is.EqualTo("A:done B:failed C:done D:wait_dependencies"));
        Assert.That(await StatesAsync(), Is.EqualTo("A:done B:done C:done D:done"));
    }

    [Test]
    public async Task Cancelling_the_head_cancels_every_job_waiting_on_it_down_the_graph()
    {
        await ActAsync("A", jobs => jobs.CancelAsync());

        Assert.That(await StatesAsync(), Is.EqualTo("A:cancelled B:cancelled C:cancelled D:cancelled"));
        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT result FROM queue_job WHERE uuid = $1", _uuid["A"]), Is.EqualTo("Cancelled by OdooBot"));
    }

    [Test]
    public async Task Setting_a_failed_job_done_by_hand_releases_its_children()
    {
        await Jobs.Database.ScalarAsync<object>("UPDATE test_queue_job SET note = 'fail' WHERE name = 'B'");
        await RunAsync("A");
        await RunAsync("B");
        await RunAsync("C");

        await ActAsync("B", jobs => jobs.SetDoneAsync());

        Assert.That(await StatesAsync(), Is.EqualTo("A:done B:done C:done D:pending"));
        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT result FROM queue_job WHERE uuid = $1", _uuid["B"]), Is.EqualTo("Manually set to done by OdooBot"));
    }

    [Test]
    public async Task Two_parents_finishing_in_concurrent_transactions_release_their_child()
    {
        await RunAsync("A");
        await using var first = await Jobs.Host.Database.BeginAsync();
        await using var second = await Jobs.Host.Database.BeginAsync();

        await JobRecord(first, "B").SetDoneAsync();
        var secondDone = JobRecord(second, "C").SetDoneAsync();
        // Let the second transaction get as far as it can (it should wait for D's lock) before the first commits.
        await Jobs.Database.UntilBlockedOrDoneAsync(secondDone, second.NpgsqlConnection().ProcessID);
        await first.CommitAsync();
        await secondDone;
        await second.CommitAsync();

        Assert.That(await StatesAsync(), Is.EqualTo("A:done B:done C:done D:pending"));
    }

    [Test]
    public void A_node_without_a_call_is_refused_naming_what_is_missing()
    {
        Assert.That(async () => await Jobs.EnqueueAsync(async r => await r.Delayable().OnDone(await NodeAsync(r, "X")).DelayAsync()),
            Throws.InvalidOperationException.With.Message.Contains("has no call"));
    }

    [Test]
    public void A_job_linked_to_an_already_delayed_job_is_refused()
    {
        Assert.That(async () => await Jobs.EnqueueAsync(async r =>
        {
            var first = r.Delayable().Call(x => x.AppendNoteAsync("1"));
            await first.DelayAsync();
            return await first.OnDone(r.Delayable().Call(x => x.AppendNoteAsync("2"))).DelayAsync();
        }), Throws.InvalidOperationException.With.Message.Contains("already delayed"));
    }

    [Test]
    public async Task A_prepared_job_never_delayed_is_reported_in_the_log()
    {
        var log = new ListLoggerProvider();
        var database = new TestDatabase();
        var options = database.Options(RepoPaths.Addons, RepoPaths.FixtureAddons) with { Init = ["test_queue_job"] };
        using var logging = LoggerFactory.Create(b => b.AddProvider(log));
        await using (var host = await TestHost.BootAsync(options, logging: logging))
        {
            await using var env = await host.Database.BeginAsync();
            PrepareAndForget(env);
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        await database.DisposeAsync();
        Assert.That(log.Lines.Select(l => l.Message), Has.Some.Contains("test.queue.job().AppendNoteAsync was prepared but never delayed"));
    }

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void PrepareAndForget(Env env) => env.Model<TestQueueJobModel>().Delayable().Call(x => x.AppendNoteAsync("lost"));

    /// <summary>A job on a record of its own, named like the job, so one job can be told to fail.</summary>
    private static async Task<Delayable<TestQueueJobModel>> NodeAsync(TestQueueJobModel records, string name)
    {
        var record = records.Browse(await records.CreateAsync(new Dictionary<string, object?> { ["name"] = name }));
        return record.Delayable(description: name).Call(x => x.FailWhenNotedAsync(name));
    }

    private async Task RunAsync(string name) => await Jobs.RunAsync(_uuid[name]);

    private QueueJob JobRecord(Env env, string name) =>
        (QueueJob)env.Model<QueueJob>().BrowseIds([Jobs.Database.ScalarAsync<long>("SELECT id FROM queue_job WHERE uuid = $1", _uuid[name]).GetAwaiter().GetResult()]);

    private async Task ActAsync(string name, Func<QueueJob, Task> action)
    {
        await using var env = await Jobs.Host.Database.BeginAsync();
        await action(JobRecord(env, name));
        await env.CommitAsync();
    }

    private async Task<string> StatesAsync() =>
        string.Join(" ", await Jobs.Database.ColumnAsync<string>("SELECT name || ':' || state FROM queue_job ORDER BY name"));
}
