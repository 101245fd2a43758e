using PluginHost.Host.Data;

namespace PluginHost.Tests.Data;

public sealed class LiteralParserTests
{
    [Test]
    public void A_retry_pattern_dict_has_string_keys_and_integer_values()
    {
        var pattern = (Dictionary<string, object?>)LiteralParser.Parse("{1: 10, 5: 20, 10: (30, 40)}")!;

        Assert.That(pattern.Keys, Is.EqualTo(new[] { "1", "5", "10" }));
        Assert.That(pattern["1"], Is.EqualTo(10L));
        Assert.That(pattern["10"], Is.EqualTo(new List<object?> { 30L, 40L }));
    }

    [TestCase("True", true)]
    [TestCase("False", false)]
    [TestCase("42", 42L)]
    [TestCase("-7", -7L)]
    [TestCase("2.5", 2.5)]
    [TestCase("'it\\'s'", "it's")]
    [TestCase("\"double\"", "double")]
    [TestCase("'a\\nb'", "a\nb")]
    [TestCase("(5)", 5L)]
    public void Scalars_parse_to_their_values(string text, object expected)
    {
        Assert.That(LiteralParser.Parse(text), Is.EqualTo(expected));
    }

    [Test]
    public void A_tuple_with_a_trailing_comma_is_a_list()
    {
        Assert.That(LiteralParser.Parse("(5,)"), Is.EqualTo(new List<object?> { 5L }));
    }

    [Test]
    public void None_is_null_and_lists_may_end_with_a_comma()
    {
        Assert.That(LiteralParser.Parse("[None, 'a', [1],]"), Is.EqualTo(new List<object?> { null, "a", new List<object?> { 1L } }));
    }

    [TestCase("{1: }", "a value")]
    [TestCase("[1, 2", "']'")]
    [TestCase("maybe", "a value")]
    [TestCase("1 2", "end of expression")]
    public void A_malformed_expression_says_what_was_expected_and_where(string text, string expected)
    {
        Assert.That(() => LiteralParser.Parse(text), Throws.TypeOf<FormatException>().With.Message.Contains(expected).And.Message.Contains("position"));
    }
}
