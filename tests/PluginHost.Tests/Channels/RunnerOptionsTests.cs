using Microsoft.Extensions.Configuration;
using PluginHost.Addons.QueueJob.Internal;

namespace PluginHost.Tests.Channels;

/// <summary>
/// The runner's options from <c>[queue_job] channels</c>: only a string starting with <c>root:0</c> disables the runner;
/// anywhere else a capacity of 0 is unlimited, and the runner then bounds what it reads and keeps enqueued (issue 9).
/// </summary>
public sealed class RunnerOptionsTests
{
    [Test]
    public void Root_0_after_the_first_entry_is_an_unlimited_root_with_a_bounded_read()
    {
        var options = From("sub:2,root:0");

        Assert.That((options.Enabled, options.PerChannelRead), Is.EqualTo((true, RunnerOptions.UnlimitedRootBound)));
        Assert.That(new[] { options.EnqueueBudget(0), options.EnqueueBudget(30), options.EnqueueBudget(500) },
            Is.EqualTo(new int?[] { RunnerOptions.UnlimitedRootBound, RunnerOptions.UnlimitedRootBound - 30, 0 }), "at most the bound waits for an executor");
    }

    [Test]
    public void A_root_with_a_capacity_reads_that_many_and_leaves_the_budget_to_the_capacities()
    {
        var options = From("root:5,sub:2");

        Assert.That((options.Enabled, options.PerChannelRead, options.EnqueueBudget(3)), Is.EqualTo((true, 5, (int?)null)));
    }

    [Test]
    public void A_string_starting_with_root_0_disables_the_runner_and_is_still_checked()
    {
        Assert.That(From("root:0,sub:2").Enabled, Is.False);
        Assert.That(() => From("root:0,sub:abc"), Throws.ArgumentException.With.Message.Contains("entry 'sub:abc'").And.Message.Contains("invalid capacity 'abc'"));
    }

    [Test]
    public void The_warnings_of_the_channels_string_are_kept_for_the_log()
    {
        Assert.That(From("root:2,sub:1,sub:1").Warnings, Has.Count.EqualTo(1).And.Some.Contains("entry 'sub:1' configures root.sub again"));
    }

    private static RunnerOptions From(string channels) =>
        RunnerOptions.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["queue_job:channels"] = channels }).Build()
            .GetSection("queue_job"));
}
