using System.Net;

namespace Mirage.Aws.Errors;

/// <summary>An AWS API answered with an error. <see cref="Code"/> is the AWS error code (ThrottlingException, ClusterNotFoundException…).</summary>
public class AwsServiceException(string service, string code, string message, HttpStatusCode statusCode, string? requestId, Exception? innerException = null)
    : Exception($"{service} {code}: {message}", innerException)
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "RequestLimitExceeded", "ProvisionedThroughputExceededException", "RequestThrottled", "SlowDown",
        "BandwidthLimitExceeded", "LimitExceededException", "PriorRequestNotComplete", "EC2ThrottledException",
    };

    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal)
    {
        "RequestTimeout", "RequestTimeoutException", "InternalFailure", "InternalError", "ServiceUnavailable",
        "ServiceUnavailableException", "ServerException", "TransactionInProgressException",
    };

    public string Service { get; } = service;

    public string Code { get; } = code;

    /// <summary>The service's own message, without the service and code prefix.</summary>
    public string ErrorMessage { get; } = message;

    public HttpStatusCode StatusCode { get; } = statusCode;

    public string? RequestId { get; } = requestId;

    /// <summary>The service asks the caller to slow down.</summary>
    public bool IsThrottling => IsThrottlingCode(Code) || StatusCode == HttpStatusCode.TooManyRequests;

    /// <summary>Whether an AWS error code asks the caller to slow down (shared with the AWSSDK clients' telemetry).</summary>
    public static bool IsThrottlingCode(string? code) => code is not null && ThrottlingCodes.Contains(code);

    /// <summary>Worth another attempt: throttling, a 5xx, or a known transient code; never a plain client error.</summary>
    public bool IsRetryable => IsThrottling || (int)StatusCode >= 500 || TransientCodes.Contains(Code);
}
