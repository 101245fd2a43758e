namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Tells this node's executors of one database how many jobs were enqueued, so they claim them at once instead of
/// polling, and never ask for more than that.
/// </summary>
internal sealed class ExecutorSignal
{
    private readonly SemaphoreSlim _woken = new(0, 1);
    private int _enqueued;

    /// <summary>The jobs known to be enqueued and not claimed by this node yet (other nodes may have claimed them).</summary>
    public int Enqueued => Volatile.Read(ref _enqueued);

    /// <summary>Says that <paramref name="count"/> more jobs were enqueued, and wakes the executors.</summary>
    public void Notify(int count)
    {
        if (count <= 0)
        {
            return;
        }

        Interlocked.Add(ref _enqueued, count);
        try
        {
            _woken.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already woken: the executors read the count when they wake.
        }
    }

    /// <summary>
    /// Forgets <paramref name="count"/> enqueued jobs: those a claim took, or, when it found fewer than it asked for,
    /// every job known before it began (jobs notified since stay counted).
    /// </summary>
    public void Forget(int count)
    {
        int current;
        do
        {
            current = Volatile.Read(ref _enqueued);
        }
        while (Interlocked.CompareExchange(ref _enqueued, Math.Max(0, current - count), current) != current);
    }

    /// <summary>Waits until jobs were enqueued, or <paramref name="timeout"/> passed (<see cref="Timeout.InfiniteTimeSpan"/> for none).</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _woken.WaitAsync(timeout, cancellationToken);
}
