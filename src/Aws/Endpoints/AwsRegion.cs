using System.Text.RegularExpressions;
using Amazon.Runtime;
using Mirage.Aws.Configuration;

namespace Mirage.Aws.Endpoints;

/// <summary>The region every regional call goes to, resolved once at start.</summary>
public sealed partial record AwsRegion(string Name)
{
    /// <summary>China regions live in their own partition with their own DNS suffix.</summary>
    public string DnsSuffix => Name.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";

    public static bool IsWellFormed(string name) => RegionName().IsMatch(name);

    /// <summary>
    /// Options first, then <c>AWS_REGION</c> / <c>AWS_DEFAULT_REGION</c>, then the SDK's fallback chain (profile,
    /// instance metadata) — the chain is skipped when the environment was handed in explicitly.
    /// </summary>
    public static AwsRegion Resolve(AwsOptions options)
    {
        var environment = new AwsEnvironment(options.Environment);
        var name = options.Region is { Length: > 0 } configured
            ? configured
            : environment.Get("AWS_REGION") ?? environment.Get("AWS_DEFAULT_REGION");
        if (name is null && !environment.IsExplicit)
        {
            name = FallbackRegionFactory.GetRegionEndpoint()?.SystemName;
        }
        if (name is null)
        {
            throw new InvalidOperationException(
                "The AWS region is not set: set ecs.region in the config file, or AWS_REGION in the environment.");
        }
        if (!IsWellFormed(name))
        {
            throw new InvalidOperationException($"The AWS region '{name}' is not a region name (expected something like us-east-1).");
        }
        return new AwsRegion(name);
    }

    public override string ToString() => Name;

    [GeneratedRegex("^[a-z]{2}(-[a-z]+)+-[0-9]+$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionName();
}
