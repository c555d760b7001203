using Amazon.Runtime;
using Amazon.Runtime.Internal;

namespace Mirage.Aws.Telemetry;

/// <summary>
/// Measures each HTTP attempt of an AWSSDK client (S3, DynamoDB, SQS). Placed right inside the SDK's retry handler
/// (<see cref="AddTo"/>), so every attempt passes it once and its errors arrive already unmarshalled.
/// </summary>
public sealed class AwsSdkTelemetryHandler(AwsCallTelemetry telemetry, string service) : PipelineHandler
{
    private const string RequestSuffix = "Request";

    public static void AddTo(RuntimePipeline pipeline, AwsCallTelemetry? telemetry, string service)
    {
        if (telemetry is not null)
        {
            pipeline.AddHandlerAfter<RetryHandler>(new AwsSdkTelemetryHandler(telemetry, service));
        }
    }

    public override async Task<T> InvokeAsync<T>(IExecutionContext executionContext)
    {
        var request = executionContext.RequestContext;
        using var call = telemetry.Start(service, OperationOf(request.OriginalRequest));
        try
        {
            var response = await base.InvokeAsync<T>(executionContext);
            call.Succeeded((int?)executionContext.ResponseContext.HttpResponse?.StatusCode ?? 200);
            return response;
        }
        catch (Exception e)
        {
            call.Failed(e, request.CancellationToken);
            throw;
        }
    }

    // PutObjectRequest → PutObject: the operation is the request type's name, as the SDK's own metrics name it.
    private static string OperationOf(AmazonWebServiceRequest? request)
    {
        var name = request?.GetType().Name ?? "Unknown";
        return name.EndsWith(RequestSuffix, StringComparison.Ordinal) ? name[..^RequestSuffix.Length] : name;
    }
}
