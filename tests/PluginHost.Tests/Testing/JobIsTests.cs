using NUnit.Framework.Internal;
using PluginHost.Testing;

namespace PluginHost.Tests.Testing;

/// <summary>The JobIs constraints pass and fail on what a run stored, and a failure says which job, state, exception and result (issue 13, item 3).</summary>
public sealed class JobIsTests
{
    private static readonly JobRun FailedRun = new("3f2a6c1e-0000-4000-8000-000000000001", "shop.order(7,).ConfirmAsync('note')", "failed", null,
        "System.InvalidOperationException", "no stock for SO7", "System.InvalidOperationException: no stock for SO7\n   at ShopOrder.ConfirmAsync(String note)",
        Retry: 1, MaxRetries: 5, Eta: null);

    [Test]
    public void A_constraint_on_another_state_fails_naming_the_job_its_state_exception_and_result()
    {
        var result = JobIs.Done.ApplyTo(FailedRun);

        Assert.That(result.IsSuccess, Is.False);
        Assert.That(Message(result), Does.Contain("Expected: job done")
            .And.Contain("job 3f2a6c1e-0000-4000-8000-000000000001 shop.order(7,).ConfirmAsync('note') is failed after try 1 of 5")
            .And.Contain("exception System.InvalidOperationException: no stock for SO7, result none")
            .And.Contain("at ShopOrder.ConfirmAsync(String note)"));
    }

    [Test]
    public void An_exception_matches_by_full_or_short_name_and_a_message_by_a_part()
    {
        Assert.That(FailedRun, JobIs.Failed.WithException("System.InvalidOperationException").WithMessage("no stock"));
        Assert.That(FailedRun, JobIs.Failed.WithException("InvalidOperationException").WithRetry(1));
        Assert.That(JobIs.Failed.WithException("OperationException").ApplyTo(FailedRun).IsSuccess, Is.False, "a name is matched whole");
        Assert.That(JobIs.Failed.WithMessage("no stock for SO8").ApplyTo(FailedRun).IsSuccess, Is.False);
    }

    [Test]
    public void The_expected_line_lists_every_condition()
    {
        var result = JobIs.Done.WithResult("ok").WithRetry(2).ApplyTo(FailedRun);

        Assert.That(Message(result), Does.Contain("Expected: job done with result \"ok\" after try 2"));
    }

    [Test]
    public void Something_else_than_a_job_run_is_an_error_saying_what_to_pass()
    {
        var error = Assert.Throws<ArgumentException>(() => JobIs.Done.ApplyTo("done"));

        Assert.That(error.Message, Does.Contain("JobIs expects a JobRun").And.Contain("System.String"));
    }

    private static string Message(NUnit.Framework.Constraints.ConstraintResult result)
    {
        var writer = new TextMessageWriter();
        result.WriteMessageTo(writer);
        return writer.ToString();
    }
}
