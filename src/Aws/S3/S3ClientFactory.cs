using Amazon.Runtime;
using Amazon.S3;
using Mirage.Aws.Credentials;
using Mirage.Aws.Endpoints;
using Mirage.Aws.Telemetry;

namespace Mirage.Aws.S3;

/// <summary>An AmazonS3Client on our endpoint resolution and credentials.</summary>
public static class S3ClientFactory
{
    public static AmazonS3Client Create(AwsEndpointResolver endpoints, IAwsCredentialsSource credentials, TimeSpan attemptTimeout, AwsCallTelemetry? telemetry = null)
    {
        var endpoint = endpoints.Resolve(AwsService.S3);
        var config = new AmazonS3Config
        {
            // moto 5.1.1 stores the aws-chunked framing of a signed streaming upload as the object; checksums only
            // when an operation requires them avoids that and costs nothing against real S3.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            // Retries happen in our pipeline, once.
            MaxErrorRetry = 0,
            Timeout = attemptTimeout,
        };
        // An override (moto, a proxy) has no bucket subdomains.
        config.ForcePathStyle = SdkClientEndpoint.Apply(config, endpoint);
        return new MeasuredS3Client(credentials.SdkCredentials, config, telemetry);
    }
}
