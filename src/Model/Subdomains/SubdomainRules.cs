using System.Text;
using System.Text.RegularExpressions;
using Mirage.Model.Routing;

namespace Mirage.Model.Subdomains;

/// <summary>The subdomain rules of mirage-ecs (validateSubdomain): lower-cased, 2 to 63 characters, DNS-label-like, wildcards allowed.</summary>
public static partial class SubdomainRules
{
    public const int MinLength = 2;
    public const int MaxLength = 63;

    /// <summary>Lower-cases as mirage-ecs does (Go's strings.ToLower) before validating and storing.</summary>
    public static string Normalize(string subdomain) => subdomain.ToLowerInvariant();

    /// <summary>True when the subdomain is a path.Match pattern rather than one exact name.</summary>
    public static bool IsPattern(string subdomain) => subdomain.AsSpan().IndexOfAny("*?[\\") >= 0;

    /// <summary>Normalizes then validates: the lower-cased subdomain, or mirage-ecs's error message.</summary>
    public static bool TryNormalize(string subdomain, out string normalized, out string? error)
    {
        normalized = Normalize(subdomain);
        error = Validate(normalized);
        return error is null;
    }

    /// <summary>Validates an already normalized subdomain; returns mirage-ecs's error message, or null when valid.</summary>
    public static string? Validate(string subdomain)
    {
        // Go's len() counts UTF-8 bytes; counting the same way keeps the message identical for non-ASCII input
        // (e.g. "é" is "too short" only if it were one byte; Go reports it as invalid characters).
        var length = Encoding.UTF8.GetByteCount(subdomain);
        if (length == 0)
        {
            return "subdomain is empty";
        }
        if (length < MinLength)
        {
            return "subdomain is too short";
        }
        if (length > MaxLength)
        {
            return "subdomain is too long";
        }
        if (!AllowedCharacters().IsMatch(subdomain))
        {
            return $"subdomain {subdomain} includes invalid characters";
        }
        if (!PathPattern.IsValid(subdomain))
        {
            return "syntax error in pattern";
        }
        return null;
    }

    // mirage-ecs's DNSNameRegexpWithPattern. \z rather than $: in .NET '$' also matches before a final '\n',
    // which would let "ab\n" through; Go's '$' (no multi-line flag) is end of text only.
    [GeneratedRegex(@"^[a-zA-Z*?\[\]][a-zA-Z0-9\-*?\[\]]{0,61}[a-zA-Z0-9*?\[\]]\z", RegexOptions.CultureInvariant)]
    private static partial Regex AllowedCharacters();
}
