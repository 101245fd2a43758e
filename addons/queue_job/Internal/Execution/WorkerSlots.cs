using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary><c>--workers</c> as a node-wide bound: however many databases this node serves, at most that many jobs run at once.</summary>
internal sealed class WorkerSlots(HostSettings settings)
{
    private readonly SemaphoreSlim _slots = new(settings.Workers);

    /// <summary>Waits for a free slot; dispose the result to give it back.</summary>
    public async Task<IDisposable> TakeAsync(CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        return new Slot(_slots);
    }

    /// <summary>Takes up to <paramref name="count"/> free slots without waiting; give each back with <see cref="Release"/>.</summary>
    public int TryTake(int count)
    {
        var taken = 0;
        while (taken < count && _slots.Wait(0))
        {
            taken++;
        }

        return taken;
    }

    /// <summary>Waits for one free slot; give it back with <see cref="Release"/>.</summary>
    public Task WaitAsync(CancellationToken cancellationToken) => _slots.WaitAsync(cancellationToken);

    /// <summary>Gives back <paramref name="count"/> slots taken with <see cref="TryTake"/> or <see cref="WaitAsync"/>.</summary>
    public void Release(int count)
    {
        if (count > 0)
        {
            _slots.Release(count);
        }
    }

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        public void Dispose() => slots.Release();
    }
}
