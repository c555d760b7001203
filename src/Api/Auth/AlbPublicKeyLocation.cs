using System.Text.RegularExpressions;
using Mirage.Model.Configuration;

namespace Mirage.Api.Auth;

/// <summary>
/// Where an ALB publishes the key for a <c>kid</c>. mirage-ecs builds the URL from the token's own <c>signer</c>;
/// Mirage takes the region and partition from the pinned <c>auth.amzn_oidc.alb_arn</c> instead, so a token cannot
/// choose where keys are fetched from, and the partition always matches the region (GovCloud only for
/// <c>us-gov-*</c>, <c>.amazonaws.com.cn</c> only for <c>cn-*</c>). The kid ends up in the URL, so it is checked first.
/// </summary>
public static partial class AlbPublicKeyLocation
{
    /// <summary>The key URL, or an error saying why none can be built.</summary>
    public static (Uri? Url, string? Error) Resolve(AlbArn alb, string kid, Uri? endpointOverride)
    {
        if (!KidPattern().IsMatch(kid))
        {
            return (null, "kid is not a key id (letters, digits, '-' and '_' only)");
        }
        if (endpointOverride is not null)
        {
            return (new Uri(endpointOverride.AbsoluteUri.TrimEnd('/') + "/" + kid), null);
        }
        var region = alb.Region;
        return AlbArn.PartitionOf(region) switch
        {
            "aws-us-gov" => (new Uri($"https://s3-{region}.amazonaws.com/aws-elb-public-keys-prod-{region}/{kid}"), null),
            "aws-cn" => (new Uri($"https://public-keys.auth.elb.{region}.amazonaws.com.cn/{kid}"), null),
            _ => (new Uri($"https://public-keys.auth.elb.{region}.amazonaws.com/{kid}"), null),
        };
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,128}$")]
    private static partial Regex KidPattern();
}
