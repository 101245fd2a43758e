using System.Text.RegularExpressions;
using PluginHost.Addons.QueueJob;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// A job's environment starts from a reset session (issue 8): what a job left in its database session (a setting, a
/// LISTEN, a session lock, a temporary table) is gone for the next job run on the same connection.
/// </summary>
public sealed partial class JobSessionTests : JobTestBase
{
    [Test]
    public async Task A_job_finds_nothing_an_earlier_job_left_in_its_session()
    {
        var dirty = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.DirtySessionAsync()));
        var dirtyBackend = (await Jobs.RunAsync(dirty.Uuid)).Result;
        Assert.That(dirtyBackend, Is.Not.Null.And.Not.Empty, "the dirtying job ran and returned its backend");

        // The pool hands its idle connections out in turn: enough jobs get the one the dirtying job used.
        var sessions = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var describe = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.DescribeSessionAsync()));
            sessions.Add((await Jobs.RunAsync(describe.Uuid)).Result!.Trim('"'));
        }

        var sameBackend = sessions.Where(s => Pid().Match(s).Groups[1].Value == dirtyBackend).ToList();
        Assert.That(sameBackend, Is.Not.Empty, $"a later job ran on backend {dirtyBackend}; got {string.Join("; ", sessions)}");
        Assert.That(sessions, Has.All.Matches<string>(s => s.EndsWith(TestQueueJobModel.CleanSession, StringComparison.Ordinal)));
    }

    [GeneratedRegex(@"^pid=(\d+) ")]
    private static partial Regex Pid();
}
