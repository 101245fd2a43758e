using PluginHost.Tests.Support;

namespace PluginHost.Tests.Web;

/// <summary>The test's Prometheus text parser refuses what a scraper refuses, so a test passing through it can fail.</summary>
public sealed class PrometheusTextTests
{
    [Test]
    public void Escaped_label_values_and_help_are_read_back()
    {
        var families = PrometheusText.Parse("# HELP m A \\\\ and a\\nline.\n# TYPE m gauge\nm{c=\"q\\\"b\\\\n\\n\"} 1.5\n");

        Assert.That(families.Single().Help, Is.EqualTo("A \\ and a\nline."));
        Assert.That(families.Single().Samples.Single().Labels["c"], Is.EqualTo("q\"b\\n\n"));
        Assert.That(families.Single().Samples.Single().Value, Is.EqualTo(1.5));
    }

    [TestCase("m{c=\"a\nb\"} 1\n", TestName = "A raw newline in a label value is refused (the defect of issue 11)")]
    [TestCase("m{c=\"a\\tb\"} 1\n", TestName = "An unknown escape in a label value is refused")]
    [TestCase("m{c=\"a\"b\"} 1\n", TestName = "An unescaped quote in a label value is refused")]
    [TestCase("# HELP m a \\\" quote\nm 1\n", TestName = "An escaped quote in a help text is refused")]
    [TestCase("m{c=\"a\"} one\n", TestName = "A value that is no float is refused")]
    [TestCase("m 1\nm 2\n", TestName = "A duplicate series is refused")]
    [TestCase("m 1\nn 1\nm{c=\"x\"} 2\n", TestName = "A family whose lines are not together is refused")]
    [TestCase("# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_sum 1\nh_count 1\n", TestName = "Buckets that are not cumulative are refused")]
    [TestCase("# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_sum 1\nh_count 1\n", TestName = "A histogram without its +Inf bucket is refused")]
    [TestCase("m 1", TestName = "Text not ending in a line feed is refused")]
    public void Invalid_text_is_refused(string text) =>
        Assert.That(() => PrometheusText.Parse(text), Throws.TypeOf<FormatException>());
}
