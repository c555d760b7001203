using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.S3;
using Mirage.Aws.Endpoints;

namespace Mirage.Aws.Telemetry;

/// <summary>An <see cref="AmazonS3Client"/> whose attempts are measured (<see cref="AwsSdkTelemetryHandler"/>).</summary>
public sealed class MeasuredS3Client(AWSCredentials credentials, AmazonS3Config config, AwsCallTelemetry? telemetry)
    : AmazonS3Client(credentials, config)
{
    // A field initializer runs before the base constructor, which may already build the pipeline.
    private readonly AwsCallTelemetry? _telemetry = telemetry;

    protected override void CustomizeRuntimePipeline(RuntimePipeline pipeline)
    {
        base.CustomizeRuntimePipeline(pipeline);
        AwsSdkTelemetryHandler.AddTo(pipeline, _telemetry, AwsService.S3.Name);
    }
}
