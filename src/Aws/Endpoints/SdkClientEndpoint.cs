using Amazon;
using Amazon.Runtime;

namespace Mirage.Aws.Endpoints;

/// <summary>Points an AWSSDK client's config at a resolved endpoint: an override URL (moto, a proxy) or the region's own.</summary>
public static class SdkClientEndpoint
{
    /// <returns>True when the endpoint is an override (S3 then also wants path-style addressing).</returns>
    public static bool Apply(ClientConfig config, AwsEndpoint endpoint)
    {
        if (endpoint.IsOverride)
        {
            config.ServiceURL = endpoint.Url.ToString();
            config.AuthenticationRegion = endpoint.SigningRegion;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(endpoint.SigningRegion);
        }
        return endpoint.IsOverride;
    }
}
