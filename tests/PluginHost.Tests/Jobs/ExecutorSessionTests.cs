using System.Text.RegularExpressions;
using PluginHost.Addons.QueueJob;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// An executor slot runs its jobs one after the other, each on a pooled connection reset for it (issue 8): no job finds
/// what the one before it left in the session, although they run on the same connection.
/// </summary>
public sealed partial class ExecutorSessionTests : RunningHostTestBase
{
    protected override string Channels => "root:1";

    protected override int Workers => 1;

    [Test]
    public async Task A_slots_jobs_each_start_from_a_reset_session()
    {
        await using var listener = await Database.ListenAsync();
        await using (var env = await Host.Database.BeginAsync())
        {
            var records = env.Model<TestQueueJobModel>();
            await records.WithDelay(priority: 1).EnqueueAsync(x => x.DirtySessionAsync());
            for (var i = 0; i < 5; i++)
            {
                await records.WithDelay(priority: 2).EnqueueAsync(x => x.DescribeSessionAsync());
            }

            await env.CommitAsync();
        }

        await listener.UntilAsync(async () => await Database.ScalarAsync<long>("SELECT count(*) FROM queue_job WHERE state NOT IN ('done', 'failed')") == 0);

        Assert.That(await Database.ColumnAsync<string>("SELECT DISTINCT state FROM queue_job"), Is.EqualTo(new[] { "done" }));
        var dirtyBackend = await Database.ScalarAsync<string>("SELECT result FROM queue_job WHERE method_name = 'DirtySessionAsync'");
        var sessions = (await Database.ColumnAsync<string>("SELECT result FROM queue_job WHERE method_name = 'DescribeSessionAsync' ORDER BY date_started"))
            .Select(s => s.Trim('"')).ToList();
        Assert.That(sessions.Select(s => Pid().Match(s).Groups[1].Value), Has.Some.EqualTo(dirtyBackend), $"a later job ran on backend {dirtyBackend}");
        Assert.That(sessions, Has.All.EndsWith(TestQueueJobModel.CleanSession));
    }

    [GeneratedRegex(@"^pid=(\d+) ")]
    private static partial Regex Pid();
}
