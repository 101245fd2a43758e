using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Testing;

/// <summary>
/// Counts the jobs stored since it was created, as upstream's <c>JobCounter</c>: take one before the code under
/// test runs, then ask what it created.
/// </summary>
/// <example>
/// <code>
/// var counter = await JobCounter.StartAsync(env);
/// await order.ConfirmLaterAsync();
/// Assert.That(await counter.CountCreatedAsync(), Is.EqualTo(1));
/// </code>
/// </example>
public sealed class JobCounter
{
    private readonly Env _env;
    private readonly long[] _existing;

    private JobCounter(Env env, long[] existing)
    {
        _env = env;
        _existing = existing;
    }

    /// <summary>Snapshots the jobs that exist now.</summary>
    public static async Task<JobCounter> StartAsync(Env env)
    {
        ArgumentNullException.ThrowIfNull(env);
        return new JobCounter(env, (await env.Model<QueueJob>().SearchAsync()).Ids.ToArray());
    }

    /// <summary>Every job now.</summary>
    public async Task<int> CountAllAsync() => (await SearchAllAsync()).Ids.Count;

    /// <summary>Jobs stored since the snapshot.</summary>
    public async Task<int> CountCreatedAsync() => (await SearchCreatedAsync()).Ids.Count;

    /// <summary>Jobs of the snapshot that still exist.</summary>
    public async Task<int> CountExistingAsync() => (await _env.Model<QueueJob>().SearchAsync("id = ANY($1)", _existing)).Ids.Count;

    /// <summary>The jobs stored since the snapshot.</summary>
    public async Task<QueueJob> SearchCreatedAsync() => (QueueJob)await _env.Model<QueueJob>().SearchAsync("NOT (id = ANY($1))", _existing);

    /// <summary>Every job now.</summary>
    public async Task<QueueJob> SearchAllAsync() => (QueueJob)await _env.Model<QueueJob>().SearchAsync();
}
