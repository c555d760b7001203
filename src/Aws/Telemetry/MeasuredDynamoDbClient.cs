using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.DynamoDBv2;
using Mirage.Aws.Endpoints;

namespace Mirage.Aws.Telemetry;

/// <summary>An <see cref="AmazonDynamoDBClient"/> whose attempts are measured (<see cref="AwsSdkTelemetryHandler"/>).</summary>
public sealed class MeasuredDynamoDbClient(AWSCredentials credentials, AmazonDynamoDBConfig config, AwsCallTelemetry? telemetry)
    : AmazonDynamoDBClient(credentials, config)
{
    // A field initializer runs before the base constructor, which may already build the pipeline.
    private readonly AwsCallTelemetry? _telemetry = telemetry;

    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        base.CustomizeRuntimePipeline(pipeline);
        AwsSdkTelemetryHandler.AddTo(pipeline, _telemetry, AwsService.DynamoDb.Name);
    }
}
