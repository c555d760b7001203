using Mirage.Aws.Configuration;

namespace Mirage.Aws.Endpoints;

/// <summary>
/// Endpoint per service as the AWS SDKs resolve it: <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>, then <c>AWS_ENDPOINT_URL</c>,
/// then the regional default; <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true</c> turns the overrides off.
/// </summary>
public sealed class AwsEndpointResolver(AwsEnvironment environment, AwsRegion region)
{
    public const string GlobalEndpointVariable = "AWS_ENDPOINT_URL";

    public AwsRegion Region => region;

    public AwsEndpoint Resolve(AwsService service)
    {
        var signingRegion = service.IsGlobal ? HomeRegion(region) : region.Name;
        var ignoreOverrides = string.Equals(environment.Get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"), "true", StringComparison.OrdinalIgnoreCase);
        var configured = ignoreOverrides ? null : environment.Get(service.EndpointVariable) ?? environment.Get(GlobalEndpointVariable);
        if (configured is not null)
        {
            if (!IsUsableEndpoint(configured))
            {
                throw new InvalidOperationException($"The AWS endpoint '{configured}' for {service.Name} is not an absolute http(s) URL.");
            }
            return new AwsEndpoint(service, new Uri(configured, UriKind.Absolute), signingRegion, IsOverride: true);
        }
        var host = service.IsGlobal
            ? $"{service.HostPrefix}.{region.DnsSuffix}"
            : $"{service.HostPrefix}.{region.Name}.{region.DnsSuffix}";
        return new AwsEndpoint(service, new Uri($"https://{host}", UriKind.Absolute), signingRegion, IsOverride: false);
    }

    public static bool IsUsableEndpoint(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    // Global services (Route53) are signed for the partition's home region.
    private static string HomeRegion(AwsRegion region) =>
        region.Name.StartsWith("cn-", StringComparison.Ordinal) ? "cn-northwest-1"
        : region.Name.StartsWith("us-gov-", StringComparison.Ordinal) ? "us-gov-west-1"
        : "us-east-1";
}
