using Npgsql;

namespace PluginHost.Tests.Support;

/// <summary>Waiting on the runner's own signal: a LISTEN connection on <c>queue_job</c>, checked after each notification.</summary>
internal static class JobNotifications
{
    /// <summary>A connection listening on <c>queue_job</c>; open it before the work whose end is awaited.</summary>
    public static async Task<NpgsqlConnection> ListenAsync(this TestDatabase database)
    {
        var connection = await database.ConnectAsync();
        await using var listen = new NpgsqlCommand("LISTEN queue_job", connection);
        await listen.ExecuteNonQueryAsync();
        return connection;
    }

    /// <summary>Checks <paramref name="done"/> after each notification (and each second) until true or <paramref name="seconds"/> pass.</summary>
    public static async Task UntilAsync(this NpgsqlConnection listener, Func<Task<bool>> done, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await done() && DateTime.UtcNow < deadline)
        {
            await listener.WaitAsync(TimeSpan.FromSeconds(1));
        }
    }
}
