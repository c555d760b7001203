using System.Text;
using System.Text.RegularExpressions;

namespace Mirage.Model.Parameters;

/// <summary>
/// A parameter rule written for Go's RE2 and run by .NET's Regex with the same meaning where the two differ in ways a
/// rule writer would hit: <c>\d \w \s</c> and POSIX classes are ASCII-only in RE2 (Unicode in .NET), and <c>$</c>
/// without the <c>m</c> flag is end of text in RE2 (.NET also matches before a final newline, so <c>^[a-z]+$</c>
/// would accept "abc\n"), and RE2's <c>(?P&lt;name&gt;…)</c> groups are .NET's <c>(?&lt;name&gt;…)</c>. Everything else is passed through: RE2 syntax is close to a subset of .NET's.
/// </summary>
public static class Re2Rule
{
    /// <summary>How long one rule may run against one value; a rule that needs longer is reported as not matching.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(200);

    /// <summary>Compiles a rule once; throws <see cref="ArgumentException"/> with .NET's reason when it is not valid.</summary>
    public static Regex Compile(string rule) =>
        new(Translate(rule), RegexOptions.CultureInvariant | RegexOptions.Compiled, MatchTimeout);

    private static readonly Dictionary<string, string> PosixClasses = new(StringComparer.Ordinal)
    {
        ["alnum"] = "0-9A-Za-z",
        ["alpha"] = "A-Za-z",
        ["ascii"] = "\\x00-\\x7F",
        ["blank"] = "\\t ",
        ["cntrl"] = "\\x00-\\x1F\\x7F",
        ["digit"] = "0-9",
        ["graph"] = "!-~",
        ["lower"] = "a-z",
        ["print"] = " -~",
        ["punct"] = "!-/:-@\\[-`{-~",
        ["space"] = "\\t\\n\\v\\f\\r ",
        ["upper"] = "A-Z",
        ["word"] = "0-9A-Za-z_",
        ["xdigit"] = "0-9A-Fa-f",
    };

    /// <summary>The .NET pattern with RE2's meaning (see the type's remarks).</summary>
    public static string Translate(string rule)
    {
        // An inline m flag makes '$' end-of-line in both engines; only the default meaning needs rewriting.
        var multiLine = Regex.IsMatch(rule, @"\(\?[a-zA-Z]*m", RegexOptions.CultureInvariant, MatchTimeout);
        // RE2 names groups (?P<name>…); .NET spells it (?<name>…).
        rule = rule.Replace("(?P<", "(?<", StringComparison.Ordinal);
        var result = new StringBuilder(rule.Length + 16);
        var inClass = false;
        for (var i = 0; i < rule.Length; i++)
        {
            var c = rule[i];
            if (c == '\\' && i + 1 < rule.Length)
            {
                var next = rule[++i];
                result.Append(EscapeClass(next, inClass) ?? $"\\{next}");
                continue;
            }
            if (inClass && c == '[' && i + 1 < rule.Length && rule[i + 1] == ':')
            {
                var end = rule.IndexOf(":]", i + 2, StringComparison.Ordinal);
                if (end > 0 && PosixClasses.TryGetValue(rule[(i + 2)..end], out var ranges))
                {
                    result.Append(ranges);
                    i = end + 1;
                    continue;
                }
            }
            if (!inClass && c == '[')
            {
                inClass = true;
                result.Append(c);
                // A ']' right after '[' or '[^' is a literal in both engines.
                if (i + 1 < rule.Length && rule[i + 1] == '^')
                {
                    result.Append('^');
                    i++;
                }
                if (i + 1 < rule.Length && rule[i + 1] == ']')
                {
                    result.Append("\\]");
                    i++;
                }
                continue;
            }
            if (inClass && c == ']')
            {
                inClass = false;
            }
            result.Append(!inClass && c == '$' && !multiLine ? "\\z" : c.ToString());
        }
        return result.ToString();
    }

    // RE2's Perl classes are ASCII. Inside a class only the positive ones can be spelled as ranges.
    private static string? EscapeClass(char c, bool inClass) => (c, inClass) switch
    {
        ('d', false) => "[0-9]",
        ('d', true) => "0-9",
        ('D', false) => "[^0-9]",
        ('w', false) => "[0-9A-Za-z_]",
        ('w', true) => "0-9A-Za-z_",
        ('W', false) => "[^0-9A-Za-z_]",
        ('s', false) => "[\\t\\n\\f\\r ]",
        ('s', true) => "\\t\\n\\f\\r ",
        ('S', false) => "[^\\t\\n\\f\\r ]",
        _ => null,
    };
}
