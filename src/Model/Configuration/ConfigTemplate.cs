using System.Globalization;
using System.Text;

namespace Mirage.Model.Configuration;

/// <summary>
/// The template pass mirage-ecs runs over the whole config file before YAML parsing (kayac/go-config on Go
/// <c>text/template</c>), reduced to what mirage-ecs configs use: actions calling <c>env</c>, <c>must_env</c> and
/// <c>json_escape</c> with string literal arguments ("…" or `…`), optionally piped (<c>a | b</c>), plus comments and
/// the <c>{{-</c> / <c>-}}</c> whitespace trimming. Anything else is an error naming the line rather than a surprise.
/// </summary>
internal sealed class ConfigTemplate(Func<string, string?> environment)
{
    private const string SupportedSummary =
        "Mirage supports only env, must_env and json_escape with quoted string arguments, e.g. {{ env \"NAME\" \"default\" }}";

    public TemplateOutput Render(string text, string file, ICollection<ConfigWarning> warnings)
    {
        if (!text.Contains("{{", StringComparison.Ordinal))
        {
            return new TemplateOutput(text, RenderedLineMap.Identity);
        }

        var source = new SourceText(text);
        var output = new RenderedTextBuilder();
        var position = 0;
        while (true)
        {
            var open = text.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                output.AppendSource(source, position, text.Length);
                break;
            }
            output.AppendSource(source, position, open);
            var line = source.LineAt(open);

            var contentStart = open + 2;
            var trimLeft = contentStart + 1 < text.Length && text[contentStart] == '-' && IsTemplateSpace(text[contentStart + 1]);
            if (trimLeft)
            {
                contentStart++;
            }
            var close = FindClose(text, contentStart);
            if (close < 0)
            {
                throw new ConfigException(file, line, null, "template action \"{{\" is never closed; end it with \"}}\"");
            }
            var contentEnd = close;
            if (close - 2 >= contentStart && text[close - 1] == '-' && IsTemplateSpace(text[close - 2]))
            {
                contentEnd = close - 1;
                position = close + 2;
                while (position < text.Length && IsTemplateSpace(text[position]))
                {
                    position++;
                }
            }
            else
            {
                position = close + 2;
            }
            if (trimLeft)
            {
                output.TrimTrailingWhitespace();
            }

            var value = Evaluate(text[contentStart..contentEnd].Trim(), file, line, warnings);
            output.AppendValue(value, line);
        }
        return new TemplateOutput(output.ToString(), output.BuildLineMap());
    }

    private string Evaluate(string action, string file, int line, ICollection<ConfigWarning> warnings)
    {
        if (action.StartsWith("/*", StringComparison.Ordinal) && action.EndsWith("*/", StringComparison.Ordinal))
        {
            return "";
        }
        var commands = Tokenize(action, file, line);
        string? piped = null;
        foreach (var command in commands)
        {
            piped = Call(command, piped, file, line, warnings);
        }
        return piped ?? "";
    }

    private string Call(IReadOnlyList<Token> command, string? piped, string file, int line, ICollection<ConfigWarning> warnings)
    {
        var head = command[0];
        if (head.Kind == TokenKind.Literal)
        {
            if (command.Count > 1 || piped is not null)
            {
                throw Unsupported(file, line);
            }
            return head.Text;
        }
        if (command.Skip(1).Any(t => t.Kind != TokenKind.Literal))
        {
            throw Unsupported(file, line);
        }
        var args = command.Skip(1).Select(t => t.Text).ToList();
        if (piped is not null)
        {
            args.Add(piped);
        }

        switch (head.Text)
        {
            case "env":
                return Env(args, file, line, warnings);
            case "must_env":
                if (args.Count != 1)
                {
                    throw new ConfigException(file, line, null, "must_env takes exactly one variable name, e.g. {{ must_env \"NAME\" }}");
                }
                return environment(args[0]) ?? throw new ConfigException(file, line, null,
                    $"must_env \"{args[0]}\": environment variable {args[0]} is not set; set it before starting Mirage, or use {{{{ env \"{args[0]}\" \"default\" }}}}");
            case "json_escape":
                if (args.Count != 1)
                {
                    throw new ConfigException(file, line, null, "json_escape takes exactly one string, e.g. {{ json_escape \"text\" }}");
                }
                return JsonEscape(args[0]);
            default:
                throw new ConfigException(file, line, null, $"unknown template function \"{head.Text}\"; {SupportedSummary}");
        }
    }

    // Deliberately not go-config's behaviour for one argument (it returns the variable's name when unset, which turns
    // `token: {{ env "MIRAGE_TOKEN" }}` into the guessable token "MIRAGE_TOKEN"): one unset variable gives "".
    private string Env(List<string> args, string file, int line, ICollection<ConfigWarning> warnings)
    {
        if (args.Count == 0)
        {
            throw new ConfigException(file, line, null, "env needs a variable name, e.g. {{ env \"NAME\" \"default\" }}");
        }
        foreach (var name in args)
        {
            var value = environment(name);
            if (!string.IsNullOrEmpty(value))
            {
                return value;
            }
        }
        if (args.Count == 1)
        {
            warnings.Add(new ConfigWarning(file, line,
                $"env \"{args[0]}\": {args[0]} is not set, so the value is empty (mirage-ecs would use the text \"{args[0]}\"); set it, or give a default: {{{{ env \"{args[0]}\" \"default\" }}}}"));
            return "";
        }
        return args[^1];
    }

    /// <summary>Go's <c>json.Marshal</c> of a string, without the quotes.</summary>
    internal static string JsonEscape(string value)
    {
        var builder = new StringBuilder(value.Length + 8);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                case '\r': builder.Append("\\r"); break;
                case '\t': builder.Append("\\t"); break;
                case '\b': builder.Append("\\b"); break;
                case '\f': builder.Append("\\f"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029' or < ' ':
                    builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
                    break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
                    {
                        builder.Append(c).Append(value[++i]);
                    }
                    else if (char.IsSurrogate(c))
                    {
                        builder.Append("\\ufffd");
                    }
                    else
                    {
                        builder.Append(c);
                    }
                    break;
            }
        }
        return builder.ToString();
    }

    private static List<List<Token>> Tokenize(string action, string file, int line)
    {
        var commands = new List<List<Token>>();
        var current = new List<Token>();
        var i = 0;
        while (i < action.Length)
        {
            var c = action[i];
            if (IsTemplateSpace(c))
            {
                i++;
            }
            else if (c == '|')
            {
                if (current.Count == 0)
                {
                    throw Unsupported(file, line);
                }
                commands.Add(current);
                current = [];
                i++;
            }
            else if (c == '`')
            {
                var end = action.IndexOf('`', i + 1);
                if (end < 0)
                {
                    throw new ConfigException(file, line, null, "unterminated `raw string` in template action; close it with a backquote");
                }
                current.Add(new Token(TokenKind.Literal, action[(i + 1)..end]));
                i = end + 1;
            }
            else if (c == '"')
            {
                current.Add(new Token(TokenKind.Literal, ReadQuoted(action, ref i, file, line)));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                var start = i;
                while (i < action.Length && (char.IsAsciiLetterOrDigit(action[i]) || action[i] == '_'))
                {
                    i++;
                }
                current.Add(new Token(TokenKind.Identifier, action[start..i]));
            }
            else
            {
                throw Unsupported(file, line);
            }
        }
        if (current.Count == 0)
        {
            throw Unsupported(file, line);
        }
        commands.Add(current);
        return commands;
    }

    private static string ReadQuoted(string action, ref int i, string file, int line)
    {
        var builder = new StringBuilder();
        i++;
        while (i < action.Length && action[i] != '"')
        {
            var c = action[i++];
            if (c != '\\')
            {
                builder.Append(c);
                continue;
            }
            if (i >= action.Length)
            {
                break;
            }
            var e = action[i++];
            switch (e)
            {
                case 'n': builder.Append('\n'); break;
                case 't': builder.Append('\t'); break;
                case 'r': builder.Append('\r'); break;
                case 'a': builder.Append('\a'); break;
                case 'b': builder.Append('\b'); break;
                case 'f': builder.Append('\f'); break;
                case 'v': builder.Append('\v'); break;
                case '\\' or '"' or '\'': builder.Append(e); break;
                case 'x' or 'u' or 'U':
                    var digits = e switch { 'x' => 2, 'u' => 4, _ => 8 };
                    if (i + digits > action.Length
                        || !int.TryParse(action.AsSpan(i, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code)
                        || code > 0x10FFFF)
                    {
                        throw new ConfigException(file, line, null, $"invalid \\{e} escape in a template string; use \\{e} followed by {digits} hex digits");
                    }
                    builder.Append(char.ConvertFromUtf32(code));
                    i += digits;
                    break;
                default:
                    throw new ConfigException(file, line, null, $"unknown escape \\{e} in a template string; write \\\\ for a backslash, or use a `raw string`");
            }
        }
        if (i >= action.Length)
        {
            throw new ConfigException(file, line, null, "unterminated \"string\" in template action; close it with a double quote");
        }
        i++;
        return builder.ToString();
    }

    /// <summary>Index of the <c>}}</c> ending the action that starts at <paramref name="start"/>, skipping strings and comments.</summary>
    private static int FindClose(string text, int start)
    {
        var i = start;
        while (i < text.Length - 1)
        {
            switch (text[i])
            {
                case '}' when text[i + 1] == '}':
                    return i;
                case '"':
                    i++;
                    while (i < text.Length && text[i] != '"' && text[i] != '\n')
                    {
                        i += text[i] == '\\' ? 2 : 1;
                    }
                    i++;
                    break;
                case '`':
                    var endRaw = text.IndexOf('`', i + 1);
                    if (endRaw < 0)
                    {
                        return -1;
                    }
                    i = endRaw + 1;
                    break;
                case '/' when text[i + 1] == '*':
                    var endComment = text.IndexOf("*/", i + 2, StringComparison.Ordinal);
                    if (endComment < 0)
                    {
                        return -1;
                    }
                    i = endComment + 2;
                    break;
                default:
                    i++;
                    break;
            }
        }
        return -1;
    }

    private static ConfigException Unsupported(string file, int line) =>
        new(file, line, null, $"unsupported template action; {SupportedSummary}");

    private static bool IsTemplateSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private enum TokenKind
    {
        Identifier,
        Literal,
    }

    private readonly record struct Token(TokenKind Kind, string Text);
}

internal sealed record TemplateOutput(string Text, RenderedLineMap Lines);
