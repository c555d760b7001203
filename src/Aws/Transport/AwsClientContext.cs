using Mirage.Aws.Credentials;
using Mirage.Aws.Endpoints;
using Mirage.Aws.Resilience;
using Mirage.Aws.Signing;
using Mirage.Aws.Telemetry;

namespace Mirage.Aws.Transport;

/// <summary>What every typed client shares: credentials, signer, endpoints, the per-service pipelines and rate limiters, the call telemetry.</summary>
public sealed class AwsClientContext(
    IAwsCredentialsSource credentials,
    SigV4Signer signer,
    AwsEndpointResolver endpoints,
    AwsResiliencePipelines pipelines,
    AwsRateLimiters rateLimiters,
    AwsCallTelemetry telemetry)
{
    public IAwsCredentialsSource Credentials => credentials;
    public SigV4Signer Signer => signer;
    public AwsEndpointResolver Endpoints => endpoints;
    public AwsResiliencePipelines Pipelines => pipelines;
    public AwsRateLimiters RateLimiters => rateLimiters;
    public AwsCallTelemetry Telemetry => telemetry;
}
