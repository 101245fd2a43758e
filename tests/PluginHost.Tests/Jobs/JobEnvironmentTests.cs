using PluginHost.Addons.QueueJob;
using PluginHost.Sdk;
using PluginHost.Tests.Support;
using TestQueueJob;

namespace PluginHost.Tests.Jobs;

/// <summary>A job runs as the user who delayed it, with the allow-listed context keys (issue 3, point 7).</summary>
public sealed class JobEnvironmentTests : JobTestBase
{

    [Test]
    public async Task The_job_runs_as_its_user_with_allowed_context_keys_only()
    {
        string uuid;
        await using (var env = await Jobs.Host.Database.BeginAsync(uid: 2, new Dictionary<string, object?>
        {
            ["lang"] = "fr_FR", ["tz"] = "Europe/Paris", ["test_key"] = 7L, ["password"] = "never stored",
        }))
        {
            uuid = (await env.Model<TestQueueJobModel>().WithDelay().EnqueueAsync(x => x.DescribeEnvironment())).Uuid;
            await env.CommitAsync();
        }

        var row = await Jobs.RunAsync(uuid);

        Assert.That(row.Result, Is.EqualTo($"uid=2 job_uuid={uuid} lang=fr_FR test_key=7 tz=Europe/Paris"));
        Assert.That(await Jobs.Database.ScalarAsync<string>("SELECT records::text FROM queue_job WHERE uuid = $1", uuid), Does.Not.Contain("never stored"));
        Assert.That(await Jobs.Database.ScalarAsync<long>("SELECT user_id FROM queue_job WHERE uuid = $1", uuid), Is.EqualTo(2));
    }
}
