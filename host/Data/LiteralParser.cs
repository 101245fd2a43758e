using System.Globalization;
using System.Text;

namespace PluginHost.Host.Data;

/// <summary>
/// Parses the Python literals Odoo data files put in <c>eval</c>: numbers, quoted strings, <c>True</c>,
/// <c>False</c>, <c>None</c>, lists, tuples and dicts. Dict keys become strings, as in JSON.
/// Results are <see cref="long"/>, <see cref="double"/>, <see cref="string"/>, <see cref="bool"/>, null,
/// <see cref="List{T}"/> or <see cref="Dictionary{TKey,TValue}"/>.
/// </summary>
public sealed class LiteralParser
{
    private readonly string _text;
    private int _position;

    private LiteralParser(string text) => _text = text;

    /// <summary>The value of <paramref name="text"/>; <see cref="FormatException"/> says where it stopped making sense.</summary>
    public static object? Parse(string text)
    {
        var parser = new LiteralParser(text);
        var value = parser.Value();
        parser.SkipSpace();
        return parser._position == text.Length ? value : throw parser.Error("end of expression");
    }

    private object? Value()
    {
        SkipSpace();
        if (_position >= _text.Length)
        {
            throw Error("a value");
        }

        return _text[_position] switch
        {
            '[' => Sequence(']'),
            '(' => Parenthesised(),
            '{' => Dict(),
            '\'' or '"' => Quoted(),
            var c when c == '-' || c == '+' || char.IsDigit(c) => Number(),
            _ => Word(),
        };
    }

    private List<object?> Sequence(char close)
    {
        _position++;
        return Items(close, out _);
    }

    /// <summary><c>(5)</c> is 5; <c>(5,)</c> and <c>(1, 2)</c> are tuples, read as lists.</summary>
    private object? Parenthesised()
    {
        _position++;
        var items = Items(')', out var trailingComma);
        return items.Count == 1 && !trailingComma ? items[0] : items;
    }

    private List<object?> Items(char close, out bool trailingComma)
    {
        var items = new List<object?>();
        trailingComma = false;
        while (!TryConsume(close))
        {
            items.Add(Value());
            trailingComma = TryConsume(',');
            if (!trailingComma)
            {
                Expect(close);
                break;
            }
        }

        return items;
    }

    private Dictionary<string, object?> Dict()
    {
        _position++;
        var items = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (!TryConsume('}'))
        {
            var key = Convert.ToString(Value(), CultureInfo.InvariantCulture) ?? "None";
            Expect(':');
            items[key] = Value();
            if (!TryConsume(','))
            {
                Expect('}');
                break;
            }
        }

        return items;
    }

    private string Quoted()
    {
        var quote = _text[_position++];
        var builder = new StringBuilder();
        while (_position < _text.Length && _text[_position] != quote)
        {
            if (_text[_position] == '\\' && _position + 1 < _text.Length)
            {
                _position++;
                builder.Append(_text[_position++] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', var c => c });
                continue;
            }

            builder.Append(_text[_position++]);
        }

        Expect(quote);
        return builder.ToString();
    }

    private object Number()
    {
        var start = _position++;
        while (_position < _text.Length && (char.IsDigit(_text[_position]) || _text[_position] is '.' or 'e' or 'E' or '_'))
        {
            _position++;
        }

        var token = _text[start.._position].Replace("_", "");
        if (long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return integer;
        }

        return double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) ? real : throw Error("a number");
    }

    private object? Word()
    {
        var start = _position;
        while (_position < _text.Length && char.IsLetter(_text[_position]))
        {
            _position++;
        }

        return _text[start.._position] switch
        {
            "True" or "true" => true,
            "False" or "false" => false,
            "None" or "null" => null,
            _ => throw Error("a value (number, 'string', True, False, None, [list], (tuple) or {dict})", start),
        };
    }

    private bool TryConsume(char c)
    {
        SkipSpace();
        if (_position < _text.Length && _text[_position] == c)
        {
            _position++;
            return true;
        }

        return false;
    }

    private void Expect(char c)
    {
        if (!TryConsume(c))
        {
            throw Error($"'{c}'");
        }
    }

    private void SkipSpace()
    {
        while (_position < _text.Length && char.IsWhiteSpace(_text[_position]))
        {
            _position++;
        }
    }

    private FormatException Error(string expected, int? at = null) =>
        new($"expected {expected} at position {(at ?? _position) + 1} of \"{_text}\"");
}
