using Microsoft.Extensions.DependencyInjection;
using PluginHost.Addons.QueueJob;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>The related-action registry and each function's <c>related_action</c> (issue 3, point 8).</summary>
public sealed class RelatedActionTests : JobTestBase
{

    [Test]
    public async Task By_default_a_job_opens_its_record()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.WriteNoteAsync("x")));

        Assert.That(await OpenAsync(job.Uuid), Is.EqualTo("/web/record/test.queue.job/1"));
    }

    [Test]
    public async Task By_default_a_job_on_several_records_opens_their_list()
    {
        var job = await Jobs.EnqueueAsync(async r =>
        {
            var other = await r.CreateAsync(new Dictionary<string, object?> { ["name"] = "second" });
            return await r.Browse(r.Id, other).WithDelay().EnqueueAsync(x => x.WriteNoteAsync("x"));
        });

        Assert.That(await OpenAsync(job.Uuid), Is.EqualTo("/web/records/test.queue.job?ids=1,2"));
    }

    [Test]
    public async Task A_function_names_an_action_registered_by_another_addon_with_its_kwargs()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.AppendNoteAsync("x")));

        Assert.That(await OpenAsync(job.Uuid), Is.EqualTo("/test/1?tab=notes"));
    }

    [Test]
    public async Task A_function_may_disable_its_related_action()
    {
        var job = await Jobs.EnqueueAsync(r => r.WithDelay().EnqueueAsync(x => x.FailNow()));

        Assert.That(await OpenAsync(job.Uuid), Is.Null);
    }

    private async Task<string?> OpenAsync(string uuid)
    {
        await using var env = await Jobs.Host.Database.BeginAsync();
        return await env.Database.Services.GetRequiredService<RelatedActions>().OpenAsync(env, uuid);
    }
}
