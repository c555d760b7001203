using Amazon.SQS;
using Mirage.Aws.Credentials;
using Mirage.Aws.Endpoints;
using Mirage.Aws.Telemetry;

namespace Mirage.Aws.Events;

/// <summary>An AmazonSQSClient on our endpoint resolution and credentials.</summary>
public static class SqsClientFactory
{
    /// <param name="longPoll">How long a receive may wait for messages; an attempt may take that long plus the usual timeout.</param>
    public static AmazonSQSClient Create(AwsEndpointResolver endpoints, IAwsCredentialsSource credentials, TimeSpan attemptTimeout, TimeSpan longPoll, AwsCallTelemetry? telemetry = null)
    {
        var endpoint = endpoints.Resolve(AwsService.Sqs);
        var config = new AmazonSQSConfig
        {
            // The watch retries on its own, with backoff; a failed receive is logged, not repeated at once.
            MaxErrorRetry = 0,
            Timeout = longPoll + attemptTimeout,
        };
        SdkClientEndpoint.Apply(config, endpoint);
        return new MeasuredSqsClient(credentials.SdkCredentials, config, telemetry);
    }
}
