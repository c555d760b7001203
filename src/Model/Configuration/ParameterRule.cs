using System.Text.RegularExpressions;

namespace Mirage.Model.Configuration;

/// <summary>
/// Compiles the RE2 regular expressions of the config (<c>parameters[].rule</c>, <c>purge.request.exclude_regexp</c>)
/// with .NET's engine. Matching is unanchored, as Go's <c>MatchString</c>. RE2's <c>(?P&lt;name&gt;…)</c> group syntax
/// is rewritten to .NET's <c>(?&lt;name&gt;…)</c>; the timeout bounds the backtracking RE2 would never do.
/// </summary>
public static class ParameterRule
{
    public static TimeSpan MatchTimeout { get; } = TimeSpan.FromMilliseconds(250);

    /// <exception cref="ArgumentException">The expression is not valid; the message says why.</exception>
    public static Regex Compile(string rule) =>
        new(rule.Replace("(?P<", "(?<", StringComparison.Ordinal), RegexOptions.CultureInvariant, MatchTimeout);
}
