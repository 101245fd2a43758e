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

    private sealed class Slot(SemaphoreSlim slots) : IDisposable
    {
        public void Dispose() => slots.Release();
    }
}
