using PluginHost.Addons.QueueJob;

namespace PluginHost.Tests.Jobs;

public sealed class RetryPatternTests
{
    [TestCase(1, 60)]
    [TestCase(2, 180)]
    [TestCase(3, 10)]
    [TestCase(4, 10)]
    [TestCase(5, 300)]
    [TestCase(9, 300)]
    public void Each_try_waits_the_value_of_the_largest_key_not_above_it(int retry, int seconds)
    {
        var pattern = RetryPattern.Parse("""{"1": 60, "2": 180, "3": 10, "5": 300}""");

        Assert.That(pattern.SecondsAfter(retry, new Random(1)), Is.EqualTo(seconds));
    }

    [Test]
    public void Before_the_smallest_key_a_try_waits_the_default()
    {
        var pattern = RetryPattern.Parse("""{"3": 180}""");

        Assert.That(new[] { 1, 2, 3, 4 }.Select(r => pattern.SecondsAfter(r, new Random(1))), Is.EqualTo(new[] { 600, 600, 180, 180 }));
    }

    [Test]
    public void A_range_waits_a_random_number_of_seconds_within_it_bounds_included()
    {
        var pattern = RetryPattern.Parse("""{"1": [10, 12]}""");
        var random = new Random(42);

        var waits = Enumerable.Range(0, 200).Select(_ => pattern.SecondsAfter(1, random)).ToHashSet();

        Assert.That(waits, Is.EquivalentTo(new[] { 10, 11, 12 }));
    }

    [TestCase("""{"one": 10}""", "key 'one'")]
    [TestCase("""{"1": "ten"}""", "value of try 1")]
    [TestCase("""{"1": [20, 10]}""", "value of try 1")]
    [TestCase("""[1, 10]""", "expected an object")]
    public void A_pattern_that_does_not_parse_names_the_culprit(string json, string culprit)
    {
        Assert.That(() => RetryPattern.Parse(json), Throws.TypeOf<FormatException>().With.Message.Contains(culprit));
    }
}
