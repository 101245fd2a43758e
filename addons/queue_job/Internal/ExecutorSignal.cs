namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>Tells this node's executors that jobs were enqueued, so they claim them at once instead of polling.</summary>
internal sealed class ExecutorSignal
{
    private readonly SemaphoreSlim _jobs = new(0);

    /// <summary>Wakes up to <paramref name="count"/> waiting executors.</summary>
    public void Notify(int count)
    {
        if (count > 0)
        {
            _jobs.Release(count);
        }
    }

    /// <summary>Waits until jobs were enqueued, or <paramref name="timeout"/> passed (<see cref="Timeout.InfiniteTimeSpan"/> for none).</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _jobs.WaitAsync(timeout, cancellationToken);
}
