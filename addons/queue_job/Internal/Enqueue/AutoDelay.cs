using System.Linq.Expressions;
using PluginHost.Sdk;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>
/// Auto-delay, upstream's <c>_patch_job_auto_delay(method_name, context_key=None)</c> made explicit: a method that
/// starts with <see cref="DelayedCall{T}.AutoDelayAsync"/> is stored as a job when called outside one, and runs its
/// body when called by its job, when the caller asks for it at once, or in synchronous mode.
/// </summary>
internal static class AutoDelay
{
    /// <summary>The context key asking for auto-delayed methods to run at once (upstream's).</summary>
    public const string ForceSyncKey = "_job_force_sync";

    /// <summary>The context key every job runs with (its uuid).</summary>
    public const string JobUuidKey = "job_uuid";

    /// <summary>
    /// Stores the job and returns it, or returns null for the method to run its body: when the context holds
    /// <c>job_uuid</c> (it runs as a job), <c>_job_force_sync</c>, <c>contextKey</c> not true (when given), or
    /// synchronous mode is on (<see cref="NoDelay"/>, with its warning).
    /// </summary>
    public static async Task<DelayedJob?> DelayAsync(Model records, DelayOptions options, LambdaExpression call, string? contextKey, string caller)
    {
        if (call.Body is not MethodCallExpression { Method.Name: var method } || method != caller)
        {
            throw new ArgumentException($"AutoDelayAsync delays the method it is called from, {caller}: expected r => r.{caller}(…), got {call}.", nameof(call));
        }

        var env = records.Env;
        if (env.Context.ContainsKey(JobUuidKey) || NoDelay.IsTrue(env, ForceSyncKey) || contextKey is not null && !NoDelay.IsTrue(env, contextKey))
        {
            return null;
        }

        if (NoDelay.IsOn(env))
        {
            NoDelay.Warn(records, method);
            return null;
        }

        return (await JobEnqueuer.DelayAsync([new NewJob(records, JobCall.Capture(call, records), options)]))[0];
    }
}
