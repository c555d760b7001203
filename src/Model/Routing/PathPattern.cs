using System.Buffers;
using System.Text;

namespace Mirage.Model.Routing;

/// <summary>
/// Go's <c>path.Match</c> (Go 1.21), which mirage-ecs uses for wildcard subdomains: <c>*</c> matches any run of
/// non-<c>/</c> characters, <c>?</c> one non-<c>/</c> character, <c>[...]</c> a class with ranges and <c>^</c>
/// negation, and <c>\</c> escapes the next character. Ported statement by statement so the two agree on every
/// input, malformed patterns included. Like Go, <c>?</c> and classes consume one Unicode scalar (a surrogate pair is
/// one character; a lone surrogate plays the part of Go's invalid UTF-8 byte), and so does each step of <c>*</c>. Strings rather than spans: patterns
/// are short and results are cached per host.
/// </summary>
public static class PathPattern
{
    /// <summary>Reports whether <paramref name="name"/> matches <paramref name="pattern"/>.</summary>
    /// <exception cref="FormatException">The pattern is malformed (Go's ErrBadPattern).</exception>
    public static bool Match(string pattern, string name) =>
        TryMatch(pattern, name, out var matched) ? matched : throw new FormatException($"syntax error in pattern: {pattern}");

    /// <summary>True when the pattern is well formed.</summary>
    public static bool IsValid(string pattern)
    {
        var p = pattern;
        while (p.Length > 0)
        {
            ScanChunk(ref p, out string chunk);
            if (MatchChunk(chunk, "", out _) == ChunkResult.BadPattern)
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>False when the pattern is malformed; otherwise <paramref name="matched"/> is the answer.</summary>
    public static bool TryMatch(string pattern, string name, out bool matched)
    {
        var p = pattern;
        var n = name;
        matched = false;
        while (p.Length > 0)
        {
            var star = ScanChunk(ref p, out string chunk);
            if (star && chunk.Length == 0)
            {
                // Trailing * matches the rest of the name unless it has a '/'.
                matched = n.IndexOf('/') < 0;
                return true;
            }

            // Look for a match at the current position; the last chunk must use up the name.
            var result = MatchChunk(chunk, n, out var rest);
            if (result == ChunkResult.Matched && (rest.Length == 0 || p.Length > 0))
            {
                n = rest;
                continue;
            }
            if (result == ChunkResult.BadPattern)
            {
                return false;
            }
            if (star)
            {
                if (TryAfterStar(chunk, ref n, lastChunk: p.Length == 0, out var badPattern))
                {
                    continue;
                }
                if (badPattern)
                {
                    return false;
                }
            }

            // Before answering "no", check that the rest of the pattern is well formed, as Go does.
            while (p.Length > 0)
            {
                ScanChunk(ref p, out chunk);
                if (MatchChunk(chunk, "", out _) == ChunkResult.BadPattern)
                {
                    return false;
                }
            }
            return true;
        }
        matched = n.Length == 0;
        return true;
    }

    // Look for a match after skipping one more character each time; '*' cannot skip a '/'. Go skips bytes here and can
    // so match part of a multi-byte character ("*??" matches "😀" in Go); skipping whole characters keeps the documented
    // meaning. The two agree on every ASCII name, which is all a validated subdomain or a DNS host can be.
    private static bool TryAfterStar(string chunk, ref string name, bool lastChunk, out bool badPattern)
    {
        badPattern = false;
        for (var i = 0; i < name.Length && name[i] != '/';)
        {
            DecodeRune(name[i..], out var width);
            i += width;
            var result = MatchChunk(chunk, name[i..], out var rest);
            if (result == ChunkResult.Matched)
            {
                if (lastChunk && rest.Length > 0)
                {
                    continue;
                }
                name = rest;
                return true;
            }
            if (result == ChunkResult.BadPattern)
            {
                badPattern = true;
                return false;
            }
        }
        return false;
    }

    // Splits off the next chunk (the text up to an unbracketed '*'); returns whether '*'s preceded it.
    private static bool ScanChunk(ref string pattern, out string chunk)
    {
        var star = false;
        while (pattern.Length > 0 && pattern[0] == '*')
        {
            pattern = pattern[1..];
            star = true;
        }
        var inRange = false;
        var i = 0;
        for (; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                // A trailing backslash is reported by MatchChunk.
                if (i + 1 < pattern.Length)
                {
                    i++;
                }
            }
            else if (c == '[')
            {
                inRange = true;
            }
            else if (c == ']')
            {
                inRange = false;
            }
            else if (c == '*' && !inRange)
            {
                break;
            }
        }
        chunk = pattern[..i];
        pattern = pattern[i..];
        return star;
    }

    private enum ChunkResult
    {
        Matched,
        NoMatch,
        BadPattern,
    }

    // After the match fails the loop goes on through the chunk, checking that it is well formed but no longer reading s.
    private static ChunkResult MatchChunk(string chunk, string s, out string rest)
    {
        rest = "";
        var failed = false;
        while (chunk.Length > 0)
        {
            if (!failed && s.Length == 0)
            {
                failed = true;
            }
            switch (chunk[0])
            {
                case '[':
                {
                    var r = 0;
                    if (!failed)
                    {
                        r = DecodeRune(s, out var width);
                        s = s[width..];
                    }
                    chunk = chunk[1..];
                    var negated = false;
                    if (chunk.Length > 0 && chunk[0] == '^')
                    {
                        negated = true;
                        chunk = chunk[1..];
                    }
                    var match = false;
                    var ranges = 0;
                    while (true)
                    {
                        if (chunk.Length > 0 && chunk[0] == ']' && ranges > 0)
                        {
                            chunk = chunk[1..];
                            break;
                        }
                        if (!TryGetEscaped(ref chunk, out var lo))
                        {
                            return ChunkResult.BadPattern;
                        }
                        var hi = lo;
                        if (chunk[0] == '-' && !TryGetEscaped(ref chunk, out hi, skipDash: true))
                        {
                            return ChunkResult.BadPattern;
                        }
                        if (lo <= r && r <= hi)
                        {
                            match = true;
                        }
                        ranges++;
                    }
                    if (match == negated)
                    {
                        failed = true;
                    }
                    break;
                }
                case '?':
                    if (!failed)
                    {
                        if (s[0] == '/')
                        {
                            failed = true;
                        }
                        DecodeRune(s, out var width);
                        s = s[width..];
                    }
                    chunk = chunk[1..];
                    break;
                case '\\':
                    chunk = chunk[1..];
                    if (chunk.Length == 0)
                    {
                        return ChunkResult.BadPattern;
                    }
                    MatchLiteral(ref chunk, ref s, ref failed);
                    break;
                default:
                    MatchLiteral(ref chunk, ref s, ref failed);
                    break;
            }
        }
        if (failed)
        {
            return ChunkResult.NoMatch;
        }
        rest = s;
        return ChunkResult.Matched;
    }

    private static void MatchLiteral(ref string chunk, ref string s, ref bool failed)
    {
        if (!failed)
        {
            if (chunk[0] != s[0])
            {
                failed = true;
            }
            s = s[1..];
        }
        chunk = chunk[1..];
    }

    // The scalar value at the start of s (non-empty) and how many UTF-16 units it takes; a lone surrogate is U+FFFD.
    private static int DecodeRune(string s, out int width)
    {
        Rune.DecodeFromUtf16(s, out var rune, out width);
        return rune.Value;
    }

    // One (possibly escaped) character of a class; false when the class is malformed or ends here.
    private static bool TryGetEscaped(ref string chunk, out int r, bool skipDash = false)
    {
        if (skipDash)
        {
            chunk = chunk[1..];
        }
        r = 0;
        if (chunk.Length == 0 || chunk[0] == '-' || chunk[0] == ']')
        {
            return false;
        }
        if (chunk[0] == '\\')
        {
            chunk = chunk[1..];
            if (chunk.Length == 0)
            {
                return false;
            }
        }
        // Go rejects an invalid UTF-8 sequence in a class; a lone surrogate is the UTF-16 equivalent.
        var status = Rune.DecodeFromUtf16(chunk, out var rune, out var width);
        r = rune.Value;
        chunk = chunk[width..];
        return status == OperationStatus.Done && chunk.Length > 0;
    }
}
