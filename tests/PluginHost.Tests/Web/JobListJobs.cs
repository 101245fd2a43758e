using PluginHost.Tests.Support;

namespace PluginHost.Tests.Web;

/// <summary>Jobs for the Jobs list tests, inserted with SQL (nothing runs them with <c>root:0</c>): a name prefix, a state, a channel, a function.</summary>
internal static class JobListJobs
{
    private const string Insert = """
        INSERT INTO queue_job (uuid, name, model_name, method_name, state, channel, channel_method_name, func_string, exc_message, date_created)
        SELECT $1 || '-' || i, 'job ' || $1 || '-' || i, 'test.queue.job', 'Noop', $2, $3, $4, 'test.queue.job().Noop()',
               CASE WHEN $2 = 'failed' THEN 'boom ' || $1 END,
               timestamptz '2025-01-01 00:00:00Z' + make_interval(secs => $5 + i / $6)
        FROM generate_series(1, $7) i
        """;

    /// <summary>
    /// Inserts <paramref name="count"/> jobs named <c>prefix-1</c>…; created from <paramref name="secondsAfter"/> seconds
    /// after 2025-01-01, <paramref name="sameSecond"/> of them in each second (ties the list settles by id).
    /// </summary>
    public static async Task AddAsync(TestDatabase database, string prefix, int count, string state = "done", string channel = "root",
        string function = "<test.queue.job>.Noop", int secondsAfter = 0, int sameSecond = 1) =>
        await database.ScalarAsync<object>(Insert, prefix, state, channel, function, (double)secondsAfter, sameSecond, count);

    /// <summary>The ids of jobs by uuid.</summary>
    public static async Task<long> IdAsync(TestDatabase database, string uuid) =>
        await database.ScalarAsync<long>("SELECT id FROM queue_job WHERE uuid = $1", uuid);

    /// <summary>A job's state.</summary>
    public static async Task<string?> StateAsync(TestDatabase database, string uuid) =>
        await database.ScalarAsync<string>("SELECT state FROM queue_job WHERE uuid = $1", uuid);
}
