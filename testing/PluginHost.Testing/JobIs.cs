using NUnit.Framework.Constraints;
using PluginHost.Addons.QueueJob;

namespace PluginHost.Testing;

/// <summary>
/// NUnit constraints on a <see cref="JobRun"/>: its state, then optionally its exception, message, result or tries.
/// A failure names the job, its state, exception and result.
/// </summary>
/// <example>
/// <code>
/// Assert.That(await host.RunJobAsync(job), JobIs.Done);
/// Assert.That(await host.RunJobToEndAsync(job), JobIs.Failed.WithException("InvalidOperationException").WithMessage("no stock"));
/// </code>
/// </example>
public static class JobIs
{
    /// <summary>The job finished successfully.</summary>
    public static JobRunConstraint Done => InState(JobState.Done);

    /// <summary>The job failed: a non-retryable error, or a retryable one past its max retries.</summary>
    public static JobRunConstraint Failed => InState(JobState.Failed);

    /// <summary>The job waits to run (again): postponed by a retryable error, with an eta.</summary>
    public static JobRunConstraint Pending => InState(JobState.Pending);

    /// <summary>The job was cancelled (for one, superseded by a job of the same identity key).</summary>
    public static JobRunConstraint Cancelled => InState(JobState.Cancelled);

    /// <summary>The job is in <paramref name="state"/>, one of <see cref="JobState"/>.</summary>
    public static JobRunConstraint InState(string state)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(state);
        return new JobRunConstraint(new JobRunConstraint.Expected(state));
    }
}
