namespace PluginHost.Addons.QueueJob;

/// <summary>
/// Implemented by addons to act when a job fails for good (upstream posts a message to the Job Queue managers and
/// the job's user). Register it in <c>Addon.ConfigureServices</c>; every registered handler is called, one after the
/// other, after the job's <c>failed</c> state is committed and outside any job's transaction.
/// </summary>
/// <remarks>
/// Handlers run in the background, one failure at a time, each call bounded by
/// <see cref="JobFailedContext.HandlerTimeout"/> (its token is cancelled then, and the queue goes on without it). A
/// handler that throws is logged and changes nothing: the job stays failed. A failure stored just before the node
/// stops may reach no handler; the job row is the record.
/// </remarks>
/// <example>
/// <code>
/// services.AddSingleton&lt;IJobFailureHandler, MailOnFailure&gt;();
/// </code>
/// </example>
public interface IJobFailureHandler
{
    /// <summary>
    /// Called once for each job that failed for good. Write in a transaction of your own:
    /// <c>await using var env = await failure.Database.BeginAsync();</c>, then <c>env.CommitAsync()</c>.
    /// </summary>
    Task OnJobFailedAsync(JobFailedContext failure, CancellationToken cancellationToken);
}
