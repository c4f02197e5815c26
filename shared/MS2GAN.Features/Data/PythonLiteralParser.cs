using System.Globalization;
using System.Text;

namespace MS2GAN.Features.Data;

/// <summary>
/// Parses the small subset of Python literals a .npy header uses: dicts with string keys, strings,
/// True/False/None, integers (Python 2's <c>3L</c> too) and tuples or lists of them.
/// </summary>
/// <remarks>
/// A real parser rather than string matching, because writers differ in quotes, spacing,
/// key order and trailing commas.
/// </remarks>
internal sealed class PythonLiteralParser(string text, string path)
{
    // numpy writes a dictionary holding one tuple; the limit keeps '((((...' from recursing off the stack.
    private const int MaxDepth = 32;

    // The header is quoted in errors up to this many characters: enough to see the problem, not 64 KB of it.
    private const int MaxQuoted = 200;

    private int _position;
    private int _depth;

    /// <summary>Parses <paramref name="text"/> as one literal followed only by whitespace.</summary>
    public static object? Parse(string text, string path)
    {
        var parser = new PythonLiteralParser(text, path);
        var value = parser.ParseValue();
        parser.SkipWhitespace();
        if (parser._position < text.Length)
        {
            throw parser.Error("unexpected text after the dictionary");
        }
        return value;
    }

    private object? ParseValue()
    {
        SkipWhitespace();
        if (_position >= text.Length)
        {
            throw Error("the header ends too early");
        }
        var c = text[_position];
        if (c is '{' or '(' or '[' && _depth >= MaxDepth)
        {
            throw Error($"literals nested too deeply (more than {MaxDepth} levels)");
        }
        return c switch
        {
            '{' => Nested(ParseDict),
            '(' => Nested(() => ParseSequence(')')),
            '[' => Nested(() => ParseSequence(']')),
            '\'' or '"' => ParseString(),
            _ when c is '-' or '+' || char.IsAsciiDigit(c) => ParseInteger(),
            _ when char.IsAsciiLetter(c) => ParseName(),
            _ => throw Error($"unexpected character '{c}'"),
        };
    }

    private T Nested<T>(Func<T> parse)
    {
        _depth++;
        try
        {
            return parse();
        }
        finally
        {
            _depth--;
        }
    }

    private Dictionary<string, object?> ParseDict()
    {
        _position++;
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        while (true)
        {
            SkipWhitespace();
            if (TryConsume('}'))
            {
                return result;
            }
            if (ParseValue() is not string key)
            {
                throw Error("dictionary keys must be strings");
            }
            SkipWhitespace();
            Expect(':');
            if (!result.TryAdd(key, ParseValue()))
            {
                throw Error($"key '{key}' appears twice");
            }
            SkipWhitespace();
            if (!TryConsume(','))
            {
                SkipWhitespace();
                Expect('}');
                return result;
            }
        }
    }

    private List<object?> ParseSequence(char close)
    {
        _position++;
        var items = new List<object?>();
        while (true)
        {
            SkipWhitespace();
            if (TryConsume(close))
            {
                return items;
            }
            items.Add(ParseValue());
            SkipWhitespace();
            if (!TryConsume(','))
            {
                SkipWhitespace();
                Expect(close);
                return items;
            }
        }
    }

    private string ParseString()
    {
        var quote = text[_position++];
        var builder = new StringBuilder();
        while (_position < text.Length)
        {
            var c = text[_position++];
            if (c == quote)
            {
                return builder.ToString();
            }
            if (c == '\\' && _position < text.Length)
            {
                c = text[_position++];
            }
            builder.Append(c);
        }
        throw Error("a string is not closed");
    }

    private long ParseInteger()
    {
        var start = _position;
        if (text[_position] is '-' or '+')
        {
            _position++;
        }
        while (_position < text.Length && char.IsAsciiDigit(text[_position]))
        {
            _position++;
        }
        var digits = text[start.._position];
        // Python 2 numpy wrote long integers with an L suffix: (3L, 4L).
        if (_position < text.Length && text[_position] is 'L' or 'l')
        {
            _position++;
        }
        if (!long.TryParse(digits, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Error($"'{digits}' is not an integer that fits in 64 bits");
        }
        return value;
    }

    private object? ParseName()
    {
        var start = _position;
        while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] == '_'))
        {
            _position++;
        }
        return text[start.._position] switch
        {
            "True" => true,
            "False" => false,
            "None" => null,
            var name => throw Error($"unexpected name '{name}'"),
        };
    }

    private void SkipWhitespace()
    {
        while (_position < text.Length && char.IsWhiteSpace(text[_position]))
        {
            _position++;
        }
    }

    private bool TryConsume(char c)
    {
        if (_position < text.Length && text[_position] == c)
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
            throw Error($"expected '{c}'");
        }
    }

    private DataFormatException Error(string what)
    {
        var quoted = text.TrimEnd();
        if (quoted.Length > MaxQuoted)
        {
            quoted = $"{quoted[..MaxQuoted]}... ({quoted.Length} characters)";
        }
        return new(path, $"malformed header ({what} at character {_position}): {quoted}");
    }
}
