using NUnit.Framework.Constraints;

namespace PluginHost.Testing;

/// <summary>The outcome of a <see cref="JobRunConstraint"/>: the job in one line and, when it holds one, the start of its stored exception.</summary>
public sealed class JobRunConstraintResult : ConstraintResult
{
    /// <summary>Lines of the stored exception text shown under a failed assertion.</summary>
    public const int ExceptionLines = 12;

    private readonly JobRun _run;

    internal JobRunConstraintResult(JobRunConstraint constraint, JobRun run, bool isSuccess)
        : base(constraint, run, isSuccess) => _run = run;

    /// <summary>Writes the job, as <see cref="JobRun.ToString"/> does.</summary>
    public override void WriteActualValueTo(MessageWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.Write(_run.ToString());
    }

    /// <summary>Writes the expected and actual lines, then the stored exception's first lines, if any.</summary>
    public override void WriteMessageTo(MessageWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        base.WriteMessageTo(writer);
        if (_run.ExcInfo is { } info)
        {
            var lines = info.Split('\n');
            writer.WriteLine("  Stored exception:");
            foreach (var line in lines.Take(ExceptionLines))
            {
                writer.WriteLine("    " + line.TrimEnd('\r'));
            }

            if (lines.Length > ExceptionLines)
            {
                writer.WriteLine($"    … {lines.Length - ExceptionLines} more lines in JobRun.ExcInfo");
            }
        }
    }
}
