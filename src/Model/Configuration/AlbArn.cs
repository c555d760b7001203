using System.Diagnostics.CodeAnalysis;
using System.Text.RegularExpressions;

namespace Mirage.Model.Configuration;

/// <summary>
/// An Application Load Balancer ARN (<c>auth.amzn_oidc.alb_arn</c>). Its region says where the ALB publishes its
/// token keys, so the partition has to be the one AWS runs that region in: <c>aws-us-gov</c> only for
/// <c>us-gov-*</c>, <c>aws-cn</c> only for <c>cn-*</c>, <c>aws</c> for the rest.
/// </summary>
public sealed partial record AlbArn(string Value, string Partition, string Region)
{
    public const string Example = "arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/mirage/50dc6c495c0c9188";

    /// <summary>Parses <paramref name="value"/>; on failure <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(string value, [NotNullWhen(true)] out AlbArn? arn, [NotNullWhen(false)] out string? error)
    {
        arn = null;
        var match = Pattern().Match(value);
        if (!match.Success)
        {
            error = $"\"{value}\" is not an ALB ARN (arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:loadbalancer/app/NAME/ID)";
            return false;
        }
        var (partition, region) = (match.Groups["partition"].Value, match.Groups["region"].Value);
        var expected = PartitionOf(region);
        if (partition != expected)
        {
            error = $"\"{value}\" names region {region} in partition {partition}, but {region} is in partition {expected}";
            return false;
        }
        arn = new AlbArn(value, partition, region);
        error = null;
        return true;
    }

    /// <summary>The AWS partition a region belongs to.</summary>
    public static string PartitionOf(string region) =>
        region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov"
        : region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
        : "aws";

    // e.g. arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/my-alb/50dc6c495c0c9188
    [GeneratedRegex("^arn:(?<partition>aws|aws-us-gov|aws-cn):elasticloadbalancing:(?<region>[a-z]{2}(-[a-z]+)+-[0-9]{1,2}):[0-9]{12}:loadbalancer/app/[A-Za-z0-9-]{1,32}/[0-9a-f]{1,32}$")]
    private static partial Regex Pattern();
}
