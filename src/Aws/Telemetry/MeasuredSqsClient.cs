using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.SQS;
using Mirage.Aws.Endpoints;

namespace Mirage.Aws.Telemetry;

/// <summary>An <see cref="AmazonSQSClient"/> whose attempts are measured (<see cref="AwsSdkTelemetryHandler"/>).</summary>
public sealed class MeasuredSqsClient(AWSCredentials credentials, AmazonSQSConfig config, AwsCallTelemetry? telemetry)
    : AmazonSQSClient(credentials, config)
{
    // A field initializer runs before the base constructor, which may already build the pipeline.
    private readonly AwsCallTelemetry? _telemetry = telemetry;

    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        base.CustomizeRuntimePipeline(pipeline);
        AwsSdkTelemetryHandler.AddTo(pipeline, _telemetry, AwsService.Sqs.Name);
    }
}
