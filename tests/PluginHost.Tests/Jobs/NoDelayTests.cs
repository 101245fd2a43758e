using PluginHost.Addons.QueueJob;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>Synchronous mode: the call runs at once and nothing is stored (issue 3, point 9).</summary>
public sealed class NoDelayTests : JobTestBase
{

    [TestCase("queue_job__no_delay")]
    [TestCase("test_queue_job_no_delay")]
    public async Task The_context_key_runs_the_call_in_the_callers_transaction(string key)
    {
        var job = await Jobs.EnqueueAsync(r =>
            ((TestQueueJobModel)r.WithEnv(r.Env.WithContext(key, true))).WithDelay().EnqueueAsync(x => x.AppendNoteAsync("now")));

        Assert.That(job.State, Is.EqualTo("done"));
        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT note FROM test_queue_job"), Is.EqualTo("now"));
        Assert.That(await Jobs.Database.ScalarAsync<long>("SELECT count(*) FROM queue_job"), Is.Zero);
    }

    [Test]
    public async Task One_node_with_the_key_runs_the_whole_graph_in_order()
    {
        await Jobs.EnqueueAsync(r =>
        {
            var quick = (TestQueueJobModel)r.WithEnv(r.Env.WithContext("queue_job__no_delay", true));
            return JobGraph.Chain(
                r.Delayable().Call(x => x.AppendNoteAsync("1")),
                JobGraph.Group(r.Delayable().Call(x => x.AppendNoteAsync("2"))),
                quick.Delayable().Call(x => x.AppendNoteAsync("3"))).DelayAsync();
        });

        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT note FROM test_queue_job"), Is.EqualTo("123"));
        Assert.That(await Jobs.Database.ScalarAsync<long>("SELECT count(*) FROM queue_job"), Is.Zero);
    }

    [TestCase("QUEUE_JOB__NO_DELAY", "1", true)]
    [TestCase("TEST_QUEUE_JOB_NO_DELAY", "yes", true)]
    [TestCase("QUEUE_JOB__NO_DELAY", "", false)]
    [TestCase("OTHER", "1", false)]
    public async Task Either_environment_variable_turns_it_on(string variable, string value, bool on)
    {
        await using var env = await Jobs.Host.Database.BeginAsync();

        Assert.That(NoDelay.IsOn(env, name => name == variable ? value : null), Is.EqualTo(on));
    }
}
