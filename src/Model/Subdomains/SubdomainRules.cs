using System.Text.RegularExpressions;
using Mirage.Model.Routing;

namespace Mirage.Model.Subdomains;

/// <summary>The subdomain rules of mirage-ecs (validateSubdomain): lower-cased, 2 to 63 characters, DNS-label-like, wildcards allowed.</summary>
public static partial class SubdomainRules
{
    public const int MinLength = 2;
    public const int MaxLength = 63;

    /// <summary>Lower-cases as mirage-ecs does before validating and storing.</summary>
    public static string Normalize(string subdomain) => subdomain.ToLowerInvariant();

    /// <summary>True when the subdomain is a path.Match pattern rather than one exact name.</summary>
    public static bool IsPattern(string subdomain) => subdomain.AsSpan().IndexOfAny("*?[\\") >= 0;

    /// <summary>Validates an already normalized subdomain; returns mirage-ecs's error message, or null when valid.</summary>
    public static string? Validate(string subdomain)
    {
        if (subdomain.Length == 0)
        {
            return "subdomain is empty";
        }
        if (subdomain.Length < MinLength)
        {
            return "subdomain is too short";
        }
        if (subdomain.Length > MaxLength)
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

    [GeneratedRegex(@"^[a-zA-Z*?\[\]][a-zA-Z0-9\-*?\[\]]{0,61}[a-zA-Z0-9*?\[\]]$", RegexOptions.CultureInvariant)]
    private static partial Regex AllowedCharacters();
}
