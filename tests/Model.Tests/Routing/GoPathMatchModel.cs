namespace Mirage.Model.Tests.Routing;

/// <summary>
/// An independent reference for Go's <c>path.Match</c>, written from its documented grammar rather than from its code:
/// the whole pattern is parsed into terms first (so a malformed pattern is reported whatever the name), then matched by
/// plain recursive backtracking over Unicode scalars.
/// <code>
/// pattern: { term }
/// term:    '*' (any run of non-'/') | '?' (one non-'/') | '[' ['^'] { range } ']' (non-empty) | c | '\\' c
/// range:   c (c != '\\', '-', ']') | '\\' c | lo '-' hi
/// </code>
/// </summary>
internal static class GoPathMatchModel
{
    private abstract record Term;

    private sealed record AnyRun : Term;

    private sealed record AnyOne : Term;

    private sealed record Literal(int Scalar) : Term;

    private sealed record CharClass(bool Negated, IReadOnlyList<(int Lo, int Hi)> Ranges) : Term
    {
        public bool Contains(int c) => Ranges.Any(r => r.Lo <= c && c <= r.Hi) != Negated;
    }

    /// <summary>Null when the pattern is malformed; otherwise whether <paramref name="name"/> matches.</summary>
    public static bool? Match(string pattern, string name)
    {
        var terms = Parse(Scalars(pattern));
        return terms is null ? null : MatchFrom(terms, 0, Scalars(name), 0);
    }

    private static int[] Scalars(string s) => [.. s.EnumerateRunes().Select(r => r.Value)];

    private static List<Term>? Parse(int[] p)
    {
        var terms = new List<Term>();
        var i = 0;
        while (i < p.Length)
        {
            switch (p[i])
            {
                case '*':
                    terms.Add(new AnyRun());
                    i++;
                    break;
                case '?':
                    terms.Add(new AnyOne());
                    i++;
                    break;
                case '\\':
                    if (i + 1 >= p.Length)
                    {
                        return null;
                    }
                    terms.Add(new Literal(p[i + 1]));
                    i += 2;
                    break;
                case '[':
                    var charClass = ParseClass(p, ref i);
                    if (charClass is null)
                    {
                        return null;
                    }
                    terms.Add(charClass);
                    break;
                default:
                    terms.Add(new Literal(p[i]));
                    i++;
                    break;
            }
        }
        return terms;
    }

    // p[i] is '['; on success i is just past the closing ']'.
    private static CharClass? ParseClass(int[] p, ref int i)
    {
        i++;
        var negated = i < p.Length && p[i] == '^';
        if (negated)
        {
            i++;
        }
        var ranges = new List<(int, int)>();
        while (true)
        {
            if (i >= p.Length)
            {
                return null;
            }
            if (p[i] == ']' && ranges.Count > 0)
            {
                i++;
                return new CharClass(negated, ranges);
            }
            if (!TryRangeChar(p, ref i, out var lo))
            {
                return null;
            }
            var hi = lo;
            if (i < p.Length && p[i] == '-')
            {
                i++;
                if (!TryRangeChar(p, ref i, out hi))
                {
                    return null;
                }
            }
            ranges.Add((lo, hi));
        }
    }

    private static bool TryRangeChar(int[] p, ref int i, out int c)
    {
        c = 0;
        if (i >= p.Length || p[i] == '-' || p[i] == ']')
        {
            return false;
        }
        if (p[i] == '\\')
        {
            i++;
            if (i >= p.Length)
            {
                return false;
            }
        }
        c = p[i];
        i++;
        return true;
    }

    private static bool MatchFrom(List<Term> terms, int t, int[] name, int n)
    {
        if (t == terms.Count)
        {
            return n == name.Length;
        }
        switch (terms[t])
        {
            case AnyRun:
                // Try every run length, stopping at the first '/'.
                for (var end = n; ; end++)
                {
                    if (MatchFrom(terms, t + 1, name, end))
                    {
                        return true;
                    }
                    if (end == name.Length || name[end] == '/')
                    {
                        return false;
                    }
                }
            case AnyOne:
                return n < name.Length && name[n] != '/' && MatchFrom(terms, t + 1, name, n + 1);
            case Literal literal:
                return n < name.Length && name[n] == literal.Scalar && MatchFrom(terms, t + 1, name, n + 1);
            case CharClass charClass:
                return n < name.Length && charClass.Contains(name[n]) && MatchFrom(terms, t + 1, name, n + 1);
            default:
                throw new InvalidOperationException($"unknown term {terms[t]}");
        }
    }
}
