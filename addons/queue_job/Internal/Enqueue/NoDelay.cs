using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Synchronous mode for development and tests, as upstream's: with <c>QUEUE_JOB__NO_DELAY</c> or
/// <c>TEST_QUEUE_JOB_NO_DELAY</c> set in the process environment, or <c>queue_job__no_delay</c> or
/// <c>test_queue_job_no_delay</c> true in the records' context, delayed calls run at once in the caller's
/// transaction, in graph order, and nothing is stored. A warning says so each time.
/// </summary>
internal static class NoDelay
{
    private static readonly string[] Variables = ["QUEUE_JOB__NO_DELAY", "TEST_QUEUE_JOB_NO_DELAY"];
    private static readonly string[] ContextKeys = ["queue_job__no_delay", "test_queue_job_no_delay"];

    /// <summary>True when the environment variables or the context ask for synchronous jobs.</summary>
    public static bool IsOn(Env env, Func<string, string?>? variable = null)
    {
        variable ??= Environment.GetEnvironmentVariable;
        return Variables.Any(v => !string.IsNullOrEmpty(variable(v)))
            || ContextKeys.Any(k => IsTrue(env, k));
    }

    /// <summary>True when the context holds <paramref name="key"/> with a value other than null, false, 0 or "" (Python's truth).</summary>
    public static bool IsTrue(Env env, string key) =>
        env.Context.TryGetValue(key, out var value) && value is not (null or false or 0 or 0L or "");

    /// <summary>Says, as a warning, that a call runs at once because synchronous mode is on.</summary>
    public static void Warn(Model records, string method) =>
        records.Env.Database.Services.GetService<ILoggerFactory>()?.CreateLogger(typeof(NoDelay).FullName!)
            .LogWarning("No delay mode: running {Records}.{Method} at once instead of delaying it", records, method);

    /// <summary>Runs the jobs now, each after its parents, and reports them done.</summary>
    public static async Task<IReadOnlyList<DelayedJob>> RunAsync(IReadOnlyList<NewJob> jobs)
    {
        var done = new HashSet<string>();
        var results = new List<DelayedJob>();
        while (done.Count < jobs.Count)
        {
            var next = jobs.First(j => !done.Contains(j.Uuid) && j.DependsOn.All(done.Contains));
            Warn(next.Records, next.Call.Method.Name);
            await JobInvoker.CallAsync(next.Records, next.Call.Method, next.Call.Arguments.ToArray());
            done.Add(next.Uuid);
            results.Add(new DelayedJob(0, next.Uuid, JobState.Done));
        }

        return results;
    }
}
