using Amazon.DynamoDBv2;
using Mirage.Aws.Credentials;
using Mirage.Aws.Endpoints;
using Mirage.Aws.Telemetry;

namespace Mirage.Aws.Leadership;

/// <summary>An AmazonDynamoDBClient on our endpoint resolution and credentials.</summary>
public static class DynamoDbClientFactory
{
    public static AmazonDynamoDBClient Create(AwsEndpointResolver endpoints, IAwsCredentialsSource credentials, TimeSpan attemptTimeout, AwsCallTelemetry? telemetry = null)
    {
        var endpoint = endpoints.Resolve(AwsService.DynamoDb);
        var config = new AmazonDynamoDBConfig
        {
            // The election retries on its next round; a retry inside one round would only eat into the lease.
            MaxErrorRetry = 0,
            Timeout = attemptTimeout,
        };
        SdkClientEndpoint.Apply(config, endpoint);
        return new MeasuredDynamoDbClient(credentials.SdkCredentials, config, telemetry);
    }
}
