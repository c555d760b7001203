using System.Text.RegularExpressions;

namespace Mirage.Api.Auth;

/// <summary>
/// Where an ALB publishes the key for a <c>kid</c>, derived from the <c>signer</c> ARN as mirage-ecs does (§3.7).
/// The region and kid end up in a URL, so both are checked against what AWS issues before anything is fetched.
/// </summary>
public static partial class AlbPublicKeyLocation
{
    /// <summary>The key URL, or an error saying why none can be built.</summary>
    public static (Uri? Url, string? Error) Resolve(string signer, string kid, Uri? endpointOverride)
    {
        if (!KidPattern().IsMatch(kid))
        {
            return (null, "kid is not a key id (letters, digits, '-' and '_' only)");
        }
        if (endpointOverride is not null)
        {
            return (new Uri(endpointOverride.AbsoluteUri.TrimEnd('/') + "/" + kid), null);
        }
        var parts = signer.Split(':');
        if (parts.Length < 6 || parts[0] != "arn")
        {
            return (null, "signer is not an ARN");
        }
        var (partition, region) = (parts[1], parts[3]);
        if (!RegionPattern().IsMatch(region))
        {
            return (null, "signer ARN has no valid region");
        }
        return partition switch
        {
            "aws" => (new Uri($"https://public-keys.auth.elb.{region}.amazonaws.com/{kid}"), null),
            "aws-us-gov" => (new Uri($"https://s3-{region}.amazonaws.com/aws-elb-public-keys-prod-{region}/{kid}"), null),
            _ => (null, $"signer ARN partition {partition} has no known ALB key endpoint"),
        };
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$")]
    private static partial Regex KidPattern();

    // e.g. us-east-1, ap-northeast-1, us-gov-west-1.
    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$")]
    private static partial Regex RegionPattern();
}
