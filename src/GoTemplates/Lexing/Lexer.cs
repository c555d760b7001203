using System.Globalization;
using System.Text;

namespace Mirage.GoTemplates.Lexing;

/// <summary>
/// Go text/template's lexer (text/template/parse/lex.go): text and <c>{{ }}</c> actions with <c>{{- -}}</c> trimming,
/// <c>{{/* */}}</c> comments, and inside actions identifiers, keywords, fields, variables, strings ("…" and `…`),
/// character constants, numbers, <c>| ( ) := = ,</c>. Delimiters are always <c>{{ }}</c> (Go's Delims is not offered).
/// </summary>
internal sealed class Lexer(string text, string origin)
{
    private static readonly HashSet<string> Keywords =
        ["if", "else", "end", "range", "with", "define", "template", "block", "break", "continue"];

    private readonly List<Token> _tokens = [];
    private int _position;
    private int _line = 1;

    public static IReadOnlyList<Token> Lex(string text, string origin) => new Lexer(text, origin).Run();

    private List<Token> Run()
    {
        var trimNext = false;
        while (_position < text.Length)
        {
            var open = text.IndexOf("{{", _position, StringComparison.Ordinal);
            var end = open < 0 ? text.Length : open;
            var trimHere = open >= 0 && open + 3 < text.Length && text[open + 2] == '-' && IsSpace(text[open + 3]);
            EmitText(_position, end, trimNext, trimHere);
            if (open < 0)
            {
                break;
            }
            _position = open + 2 + (trimHere ? 1 : 0);
            trimNext = LexAction();
        }
        _tokens.Add(new Token(TokenKind.EndOfFile, "", _line, false));
        return _tokens;
    }

    private void EmitText(int start, int end, bool trimLeft, bool trimRight)
    {
        var lineAtStart = _line;
        _line += Count(text, start, end, '\n');
        if (trimLeft)
        {
            while (start < end && IsSpace(text[start]))
            {
                if (text[start] == '\n')
                {
                    lineAtStart++;
                }
                start++;
            }
        }
        if (trimRight)
        {
            while (end > start && IsSpace(text[end - 1]))
            {
                end--;
            }
        }
        if (end > start)
        {
            _tokens.Add(new Token(TokenKind.Text, text[start..end], lineAtStart, false));
        }
    }

    /// <summary>Lexes one action from just after <c>{{</c> (and its trim marker); true when it ends with <c>-}}</c>.</summary>
    private bool LexAction()
    {
        var openLine = _line;
        var afterSpace = SkipSpaces();
        if (At("/*"))
        {
            return LexComment(openLine);
        }
        _tokens.Add(new Token(TokenKind.LeftDelim, "{{", openLine, false));
        var parens = 0;
        while (true)
        {
            if (_position >= text.Length)
            {
                throw Error(openLine, "action \"{{\" is never closed: end it with \"}}\"");
            }
            if (afterSpace && At("-}}"))
            {
                _tokens.Add(new Token(TokenKind.RightDelim, "}}", _line, false));
                _position += 3;
                return true;
            }
            if (At("}}"))
            {
                if (parens > 0)
                {
                    throw Error(_line, "unclosed left parenthesis in action: add \")\"");
                }
                _tokens.Add(new Token(TokenKind.RightDelim, "}}", _line, false));
                _position += 2;
                return false;
            }
            var c = text[_position];
            var space = afterSpace;
            afterSpace = false;
            switch (c)
            {
                case ' ' or '\t' or '\r' or '\n':
                    afterSpace = SkipSpaces();
                    break;
                case '|':
                    Add(TokenKind.Pipe, "|", space, 1);
                    break;
                case '(':
                    parens++;
                    Add(TokenKind.LeftParen, "(", space, 1);
                    break;
                case ')':
                    if (--parens < 0)
                    {
                        throw Error(_line, "unexpected right parenthesis \")\": remove it or add \"(\" before");
                    }
                    Add(TokenKind.RightParen, ")", space, 1);
                    break;
                case ',':
                    Add(TokenKind.Comma, ",", space, 1);
                    break;
                case ':' when At(":="):
                    Add(TokenKind.Declare, ":=", space, 2);
                    break;
                case '=':
                    Add(TokenKind.Assign, "=", space, 1);
                    break;
                case '"':
                    LexQuoted(space);
                    break;
                case '`':
                    LexRawString(space);
                    break;
                case '\'':
                    LexCharConstant(space);
                    break;
                case '$':
                    Add(TokenKind.Variable, "$" + ReadWord(_position + 1), space, 0);
                    break;
                case '.' when _position + 1 < text.Length && char.IsAsciiDigit(text[_position + 1]):
                    LexNumber(space);
                    break;
                case '.' when _position + 1 < text.Length && IsWordChar(text[_position + 1]):
                    Add(TokenKind.Field, "." + ReadWord(_position + 1), space, 0);
                    break;
                case '.':
                    Add(TokenKind.Dot, ".", space, 1);
                    break;
                case '+' or '-' when _position + 1 < text.Length && (char.IsAsciiDigit(text[_position + 1]) || text[_position + 1] == '.'):
                    LexNumber(space);
                    break;
                default:
                    if (char.IsAsciiDigit(c))
                    {
                        LexNumber(space);
                    }
                    else if (IsWordChar(c))
                    {
                        var word = ReadWord(_position);
                        var kind = word switch
                        {
                            "true" or "false" => TokenKind.Bool,
                            "nil" => TokenKind.Nil,
                            _ when Keywords.Contains(word) => TokenKind.Keyword,
                            _ => TokenKind.Identifier,
                        };
                        Add(kind, word, space, 0);
                    }
                    else
                    {
                        throw Error(_line, $"unexpected \"{c}\" in action: Go templates accept fields (.Name), variables ($x), functions, literals and | ( ) := = ,");
                    }
                    break;
            }
        }
    }

    private bool LexComment(int openLine)
    {
        var close = text.IndexOf("*/", _position + 2, StringComparison.Ordinal);
        if (close < 0)
        {
            throw Error(openLine, "comment \"{{/*\" is never closed: end it with \"*/}}\"");
        }
        _line += Count(text, _position, close, '\n');
        _position = close + 2;
        var trimRight = false;
        if (At(" -}}") || At("\t-}}") || At("\n-}}") || At("\r-}}"))
        {
            _position += 4;
            trimRight = true;
        }
        else if (At("}}"))
        {
            _position += 2;
        }
        else
        {
            throw Error(_line, "comment ends before closing delimiter: write \"*/}}\" with nothing between");
        }
        return trimRight;
    }

    private void LexQuoted(bool space)
    {
        var start = _position;
        var i = _position + 1;
        while (true)
        {
            if (i >= text.Length || text[i] == '\n')
            {
                throw Error(_line, "unterminated quoted string: close it with '\"'");
            }
            if (text[i] == '\\')
            {
                i += 2;
                continue;
            }
            if (text[i] == '"')
            {
                break;
            }
            i++;
        }
        var raw = text[start..(i + 1)];
        _tokens.Add(new Token(TokenKind.String, Unquote(raw[1..^1]), _line, space));
        _position = i + 1;
    }

    private void LexRawString(bool space)
    {
        var close = text.IndexOf('`', _position + 1);
        if (close < 0)
        {
            throw Error(_line, "unterminated raw quoted string: close it with '`'");
        }
        var value = text[(_position + 1)..close];
        _tokens.Add(new Token(TokenKind.RawString, value, _line, space));
        _line += Count(value, 0, value.Length, '\n');
        _position = close + 1;
    }

    private void LexCharConstant(bool space)
    {
        var i = _position + 1;
        while (i < text.Length && text[i] != '\'' && text[i] != '\n')
        {
            i += text[i] == '\\' ? 2 : 1;
        }
        if (i >= text.Length || text[i] != '\'')
        {
            throw Error(_line, "unterminated character constant: close it with \"'\"");
        }
        var value = Unquote(text[(_position + 1)..i]);
        if (value.EnumerateRunes().Count() != 1)
        {
            throw Error(_line, $"malformed character constant: '{text[(_position + 1)..i]}'");
        }
        _tokens.Add(new Token(TokenKind.CharConstant, value, _line, space));
        _position = i + 1;
    }

    private void LexNumber(bool space)
    {
        var start = _position;
        var i = _position;
        if (text[i] is '+' or '-')
        {
            i++;
        }
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '.' or '_' ||
            (text[i] is '+' or '-' && text[i - 1] is 'e' or 'E' or 'p' or 'P')))
        {
            i++;
        }
        _tokens.Add(new Token(TokenKind.Number, text[start..i], _line, space));
        _position = i;
    }

    private string ReadWord(int start)
    {
        var i = start;
        while (i < text.Length && IsWordChar(text[i]))
        {
            i++;
        }
        _position = i;
        return text[start..i];
    }

    private void Add(TokenKind kind, string value, bool space, int advance)
    {
        _tokens.Add(new Token(kind, value, _line, space));
        _position += advance;
    }

    private bool SkipSpaces()
    {
        var skipped = false;
        while (_position < text.Length && IsSpace(text[_position]))
        {
            if (text[_position] == '\n')
            {
                _line++;
            }
            _position++;
            skipped = true;
        }
        return skipped;
    }

    private bool At(string s) => string.CompareOrdinal(text, _position, s, 0, s.Length) == 0;

    private GoTemplateException Error(int line, string problem) => new(origin, line, problem);

    internal static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsWordChar(char c) => c == '_' || char.IsLetterOrDigit(c);

    private static int Count(string s, int start, int end, char c)
    {
        var n = 0;
        for (var i = start; i < end; i++)
        {
            if (s[i] == c)
            {
                n++;
            }
        }
        return n;
    }

    /// <summary>Go's strconv.Unquote for the inside of a double-quoted or character literal.</summary>
    private string Unquote(string s)
    {
        if (!s.Contains('\\', StringComparison.Ordinal))
        {
            return s;
        }
        var b = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (s[i] != '\\')
            {
                b.Append(s[i]);
                continue;
            }
            if (++i >= s.Length)
            {
                throw Error(_line, "string ends with a lone backslash");
            }
            switch (s[i])
            {
                case 'a': b.Append('\a'); break;
                case 'b': b.Append('\b'); break;
                case 'f': b.Append('\f'); break;
                case 'n': b.Append('\n'); break;
                case 'r': b.Append('\r'); break;
                case 't': b.Append('\t'); break;
                case 'v': b.Append('\v'); break;
                case '\\' or '"' or '\'': b.Append(s[i]); break;
                case 'x': b.Append((char)Hex(s, i + 1, 2)); i += 2; break;
                case 'u': b.Append(char.ConvertFromUtf32(Hex(s, i + 1, 4))); i += 4; break;
                case 'U': b.Append(char.ConvertFromUtf32(Hex(s, i + 1, 8))); i += 8; break;
                case >= '0' and <= '7' when i + 2 < s.Length:
                    b.Append((char)Convert.ToInt32(s.Substring(i, 3), 8));
                    i += 2;
                    break;
                default:
                    throw Error(_line, $"unknown escape sequence \\{s[i]} in string");
            }
        }
        return b.ToString();
    }

    private int Hex(string s, int start, int length)
    {
        if (start + length > s.Length || !int.TryParse(s.AsSpan(start, length), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
        {
            throw Error(_line, "malformed hexadecimal escape in string");
        }
        return value;
    }
}
