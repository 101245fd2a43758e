using PluginHost.Addons.QueueJob;
using PluginHost.Addons.QueueJob.Internal;
using PluginHost.Sdk;
using PluginHost.Tests.Support;

namespace PluginHost.Tests.Jobs;

/// <summary>
/// An outcome is written only while the job is still the try that produced it (its token): a late write of an earlier
/// try (kept while the database was away) never touches a later try, even one with the same try number.
/// </summary>
public sealed class OutcomeGuardTests : JobTestBase
{
    private const string Node = "node-a";

    [Test]
    public async Task A_late_outcome_of_a_try_given_back_does_not_touch_the_next_claim_with_the_same_try_number()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.WriteNoteAsync("x")));
        var first = await ClaimAsync();
        await ExecuteAsync(SettleStatements.Postpone, job.Id, first.Token, 0.0, "not my turn", false);
        var second = await ClaimAsync();

        var late = await ExecuteAsync(SettleStatements.SetFailed, job.Id, first.Token, "LateError", "from the first try", "");
        var current = await ExecuteAsync(SettleStatements.SetFailed, job.Id, second.Token, "CurrentError", "from the second try", "");

        Assert.That(second.Retry, Is.EqualTo(first.Retry), "the try was given back, so both claims share a try number");
        Assert.That((late, current), Is.EqualTo((0, 1)));
        Assert.That((await Jobs.ReadAsync(job.Uuid)).ExcName, Is.EqualTo("CurrentError"));
    }

    [Test]
    public async Task A_job_requeued_while_it_runs_commits_none_of_its_writes_and_runs_again()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.RequeueItselfOnceAsync(Guid.NewGuid().ToString())));

        var taken = await Jobs.RunAsync(job.Uuid);
        var noteAfterTaken = await Jobs.Database.ScalarAsync<string>("SELECT note FROM test_queue_job");
        var again = await Jobs.RunAsync(job.Uuid);

        Assert.That((taken.State, noteAfterTaken), Is.EqualTo(("pending", (string?)null)), "the try taken away committed nothing");
        Assert.That((again.State, await Jobs.Database.ScalarAsync<string>("SELECT note FROM test_queue_job")), Is.EqualTo(("done", "x")));
    }

    private async Task<ClaimedJob> ClaimAsync()
    {
        await Jobs.Database.ScalarAsync<object>("UPDATE queue_job SET state = 'enqueued', eta = NULL WHERE state = 'pending'");
        await using var env = await Jobs.Host.Database.BeginAsync();
        await using var command = env.CreateCommand(ClaimStatements.ClaimEnqueued, 1, Node, Guid.NewGuid(), 1);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.That(await reader.ReadAsync(), Is.True, "a job to claim");
        var claimed = ClaimedJob.Read(reader);
        await reader.DisposeAsync();
        await env.CommitAsync();
        return claimed;
    }

    private async Task<int> ExecuteAsync(string sql, params object[] parameters)
    {
        await using var env = await Jobs.Host.Database.BeginAsync();
        var rows = await env.ExecuteAsync(sql, parameters);
        await env.CommitAsync();
        return rows;
    }
}
