using Mirage.Aws.Errors;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Mirage.Aws.Resilience;

/// <summary>Which failures another attempt can fix.</summary>
public static class AwsTransientErrors
{
    public static bool IsTransient(Exception? exception) => exception switch
    {
        AwsServiceException aws => aws.IsRetryable,
        HttpRequestException => true,
        TimeoutRejectedException => true,
        IOException => true,
        BrokenCircuitException => false,
        _ => false,
    };
}
