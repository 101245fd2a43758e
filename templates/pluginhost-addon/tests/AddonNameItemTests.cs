using LinqToDB.Async;
using NUnit.Framework;
using PluginHost.Addons.QueueJob;
using PluginHost.Addons.QueueJob.Testing;
using PluginHost.Testing;

namespace AddonName.Tests;

/// <summary>
/// Each test boots a host with addon_name installed on a throw-away database, cloned from a template database that
/// the first test builds. The server is PLUGINHOST_TEST_PG (an Npgsql connection string).
/// </summary>
public class AddonNameItemTests
{
    [Test]
    public async Task SyncLater_delays_a_job_that_marks_the_item_synced()
    {
        await using var host = await AddonTestHost.StartAsync("addon_name");
        DelayedJob job;
        await using (var env = await host.BeginAsync())
        {
            var item = (AddonNameItem)await env.Model<AddonNameItem>().CreateAsync(new AddonNameItemRow { Name = "first" });
            job = await item.SyncLaterAsync();
            await env.CommitAsync();
        }

        var run = await host.RunJobAsync(job);

        Assert.That(run, JobIs.Done);
        await using var check = await host.BeginAsync();
        var items = await check.Query<AddonNameItemRow>().ToListAsync(check.CancellationToken);
        Assert.That(items.Select(i => i.State), Is.EqualTo(new[] { "synced" }));
    }

    [Test]
    public async Task SyncLater_delays_SyncAsync_on_the_item()
    {
        await using var host = await AddonTestHost.StartAsync("addon_name");
        await using var env = await host.BeginAsync();
        var item = (AddonNameItem)await env.Model<AddonNameItem>().CreateAsync(new AddonNameItemRow { Name = "trapped" });

        using var trap = JobsTrap.Start();
        await item.SyncLaterAsync();

        trap.AssertJobsCount(1);
        trap.AssertEnqueuedJob(item, i => i.SyncAsync());
    }
}
