using PluginHost.Addons.QueueJob.Internal.Channels;

namespace PluginHost.Tests.Channels;

/// <summary>The channels string, parsed as upstream's parse_simple_config.</summary>
public sealed class ChannelConfigurationTests
{
    [Test]
    public void Capacities_options_and_relative_names_are_read()
    {
        var specs = ChannelConfiguration.Parse("root:4,root.sub:2,sub.seq:1:sequential,other:2:throttle=5:unknown=kept");

        Assert.That(specs, Is.EqualTo(new[]
        {
            new ChannelSpec("root", 4), new ChannelSpec("root.other", 2, ThrottleSeconds: 5), new ChannelSpec("root.sub", 2),
            new ChannelSpec("root.sub.seq", 1, Sequential: true),
        }));
    }

    [Test]
    public void Newlines_separate_entries_empty_ones_are_ignored_and_a_missing_capacity_is_one()
    {
        var specs = ChannelConfiguration.Parse("\n  root:3 ,\n\n foo bar ,, baz:2 ,\n");

        Assert.That(specs, Is.EqualTo(new[] { new ChannelSpec("root", 3), new ChannelSpec("root.baz", 2), new ChannelSpec("root.foo bar", 1) }));
    }

    [Test]
    public void Without_configuration_root_has_a_capacity_of_one()
    {
        Assert.That(ChannelConfiguration.Parse(null), Is.EqualTo(new[] { new ChannelSpec("root", 1) }));
    }

    [TestCase(":3", "missing channel name")]
    [TestCase("root:x", "invalid capacity 'x'")]
    [TestCase("root:-1", "invalid capacity '-1'")]
    [TestCase("sub:1:a=b=c", "incorrect config item 'a=b=c'")]
    [TestCase("sub:1:k:k", "duplicate key 'k'")]
    [TestCase("sub:1:capacity=2", "duplicate key 'capacity'")]
    [TestCase("sub:2:sequential", "a sequential channel must have a capacity of 1")]
    [TestCase("sub:1:throttle=soon", "throttle needs whole seconds")]
    [TestCase("sub:4:batch=0", "batch needs a whole number of jobs, 1 or more")]
    [TestCase("sub:4:batch", "batch needs a whole number of jobs, 1 or more")]
    public void An_invalid_entry_is_named_with_the_problem(string text, string problem)
    {
        Assert.That(() => ChannelConfiguration.Parse("root:2," + text),
            Throws.ArgumentException.With.Message.Contains($"entry '{text.Trim()}'").And.Message.Contains(problem));
    }

    [Test]
    public void A_channel_configured_twice_and_an_unknown_option_are_warnings_naming_the_entry()
    {
        var warnings = new List<string>();

        var specs = ChannelConfiguration.Parse("root:4,sub:2,other:2:throttle=5:unknown=kept,sub:3", warnings);

        Assert.That(specs.Single(s => s.Name == "root.sub").Capacity, Is.EqualTo(3), "the later entry is used, as upstream");
        Assert.That(warnings, Is.EqualTo(new[]
        {
            "[queue_job] channels: entry 'other:2:throttle=5:unknown=kept': unknown option 'unknown', ignored (known: sequential, throttle, batch).",
            "[queue_job] channels: entry 'sub:3' configures root.sub again, after 'sub:2'; the later entry is used.",
        }));
    }

    [Test]
    public void A_batch_size_is_read_and_defaults_to_one()
    {
        var specs = ChannelConfiguration.Parse("root:8:batch=10,sub:2");

        Assert.That(specs.Select(s => (s.Name, s.Batch)), Is.EqualTo(new[] { ("root", 10), ("root.sub", 1) }));
    }

    [TestCase("root:0", true)]
    [TestCase(" root : 0 , sub:2", true)]
    [TestCase("sub:0,root:2", false)]
    [TestCase("root:1", false)]
    [TestCase("", false)]
    public void Only_a_string_starting_with_root_0_disables_the_runner(string text, bool disabled)
    {
        Assert.That(ChannelConfiguration.DisablesRunner(text), Is.EqualTo(disabled));
    }
}
