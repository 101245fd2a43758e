namespace PluginHost.Tests.Support;

/// <summary>Polling for a state reached asynchronously, where no notification can be awaited (across a restart, a stop, another process).</summary>
internal static class Eventually
{
    /// <summary>Checks <paramref name="condition"/> every <paramref name="pollMilliseconds"/> until true or <paramref name="seconds"/> pass; the last result.</summary>
    public static async Task<bool> UntilAsync(Func<Task<bool>> condition, int seconds, int pollMilliseconds = 50)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow >= deadline)
            {
                return false;
            }

            await Task.Delay(pollMilliseconds);
        }

        return true;
    }
}
