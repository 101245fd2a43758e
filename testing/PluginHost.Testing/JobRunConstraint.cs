using NUnit.Framework.Constraints;

namespace PluginHost.Testing;

/// <summary>The constraint <see cref="JobIs"/> starts: a state, refined by each <c>With…</c> call (all must hold).</summary>
public sealed class JobRunConstraint : Constraint
{
    private readonly Expected _expected;

    internal JobRunConstraint(Expected expected) => _expected = expected;

    /// <summary>What is expected, as the failure message's "Expected:" line shows it.</summary>
    public override string Description => _expected.ToString();

    /// <summary>The stored exception is of this type: its full name (<c>System.InvalidOperationException</c>) or its name alone.</summary>
    public JobRunConstraint WithException(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new JobRunConstraint(_expected with { Exception = name });
    }

    /// <summary>The stored exception message contains <paramref name="part"/> (ordinal).</summary>
    public JobRunConstraint WithMessage(string part)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(part);
        return new JobRunConstraint(_expected with { Message = part });
    }

    /// <summary>The stored result is exactly <paramref name="result"/>.</summary>
    public JobRunConstraint WithResult(string result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new JobRunConstraint(_expected with { Result = result });
    }

    /// <summary>The job has had exactly <paramref name="retry"/> tries.</summary>
    public JobRunConstraint WithRetry(int retry) => new(_expected with { Retry = retry });

    /// <summary>Checks a <see cref="JobRun"/>; anything else is an error saying what to pass.</summary>
    public override ConstraintResult ApplyTo<TActual>(TActual actual) => actual is JobRun run
        ? new JobRunConstraintResult(this, run, _expected.Matches(run))
        : throw new ArgumentException($"JobIs expects a JobRun (from AddonTestHost.RunJobAsync or ReadJobAsync), got {actual?.GetType().FullName ?? "null"}.", nameof(actual));

    /// <summary>What a run must be; null members are not checked.</summary>
    internal sealed record Expected(string State, string? Exception = null, string? Message = null, string? Result = null, int? Retry = null)
    {
        public bool Matches(JobRun run) =>
            run.State == State
            && (Exception is null || run.ExcName == Exception || run.ExcName?.EndsWith("." + Exception, StringComparison.Ordinal) == true)
            && (Message is null || run.ExcMessage?.Contains(Message, StringComparison.Ordinal) == true)
            && (Result is null || run.Result == Result)
            && (Retry is null || run.Retry == Retry);

        public override string ToString() =>
            $"job {State}"
            + (Exception is null ? "" : $" with exception {Exception}")
            + (Message is null ? "" : $" with a message containing \"{Message}\"")
            + (Result is null ? "" : $" with result \"{Result}\"")
            + (Retry is null ? "" : $" after try {Retry}");
    }
}
