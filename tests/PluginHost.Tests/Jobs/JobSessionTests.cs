using System.Text.RegularExpressions;
using PluginHost.Addons.QueueJob;
using PluginHost.Sdk;
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

    [Test]
    public async Task An_executor_session_no_job_used_goes_back_unreset_and_one_a_job_used_is_reset()
    {
        var database = Jobs.Host.Database;
        const string Describe = "SELECT pg_backend_pid() || ' ' || current_setting('statement_timeout')";

        // The executor's own statements (not a job's method) leave the session as it is: no reset is paid for it.
        await using (var env = await database.BeginJobAsync(Env.SuperuserId, null, CancellationToken.None))
        {
            await env.ExecuteAsync("SET statement_timeout = '77s'");
            await env.CommitAsync();
        }

        string kept;
        await using (var env = await database.BeginJobAsync(Env.SuperuserId, null, CancellationToken.None))
        {
            kept = (await env.ScalarAsync<string>(Describe))!;
            env.SessionUsed = true;
        }

        string reset;
        await using (var env = await database.BeginJobAsync(Env.SuperuserId, null, CancellationToken.None))
        {
            reset = (await env.ScalarAsync<string>(Describe))!;
        }

        Assert.That(kept, Does.EndWith(" 77s"), "the one idle connection, not reset");
        Assert.That(reset.Split(' ')[0], Is.EqualTo(kept.Split(' ')[0]), "the same connection again");
        Assert.That(reset, Does.EndWith(" 0"), "reset once a job used it");
    }

    [GeneratedRegex(@"^pid=(\d+) ")]
    private static partial Regex Pid();
}
