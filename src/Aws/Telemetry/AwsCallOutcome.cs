using System.Net;
using Amazon.Runtime;
using Mirage.Aws.Errors;

namespace Mirage.Aws.Telemetry;

/// <summary>How one AWS HTTP attempt ended, as the <c>outcome</c> label of the AWS call metrics.</summary>
public static class AwsCallOutcome
{
    public const string Success = "success";
    public const string Throttled = "throttled";
    public const string ClientError = "client_error";
    public const string ServerError = "server_error";
    public const string NetworkError = "network_error";
    public const string Timeout = "timeout";
    public const string Cancelled = "cancelled";

    /// <summary>The outcome of an attempt that threw <paramref name="exception"/>; <paramref name="cancellationToken"/> is the caller's.</summary>
    public static string Of(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        AwsServiceException e => Of(e.IsThrottling, e.StatusCode),
        AmazonServiceException e when e.StatusCode != 0 || e.ErrorCode is not null =>
            Of(AwsServiceException.IsThrottlingCode(e.ErrorCode) || e.StatusCode == HttpStatusCode.TooManyRequests, e.StatusCode),
        OperationCanceledException when cancellationToken.IsCancellationRequested => Cancelled,
        // A per-attempt timeout (ours or the SDK's) cancels without the caller asking.
        OperationCanceledException or TimeoutException => Timeout,
        _ => NetworkError,
    };

    // A 3xx the SDK raises (S3's 304 to a conditional read) is an answer, not a failure.
    private static string Of(bool throttled, HttpStatusCode status) =>
        throttled ? Throttled : (int)status >= 500 ? ServerError : (int)status >= 400 ? ClientError : (int)status >= 300 ? Success : NetworkError;
}
