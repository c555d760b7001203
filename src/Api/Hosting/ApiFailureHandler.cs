using System.Globalization;
using Microsoft.AspNetCore.Diagnostics;
using Mirage.Api.MirageEcsApi;
using Mirage.Aws.Errors;
using Mirage.Model.Intents;
using Polly;
using Polly.CircuitBreaker;

namespace Mirage.Api.Hosting;

/// <summary>
/// What the API and web UI answer when a request fails with an exception: 503 with <c>Retry-After</c> while the intent
/// store or AWS cannot answer (the request may simply be sent again), 500 otherwise. Either way a JSON body that says
/// what happened, never the exception's details: they stay in the log.
/// </summary>
public static class ApiFailureHandler
{
    // When AWS itself failed, the caller cannot know when it will answer again; a short pause is a fair guess.
    private static readonly TimeSpan AwsRetryAfter = TimeSpan.FromSeconds(5);

    /// <summary>The <see cref="ExceptionHandlerOptions.ExceptionHandler"/>: answers the failure in <see cref="IExceptionHandlerFeature"/>.</summary>
    public static async Task WriteAsync(HttpContext httpContext)
    {
        var exception = httpContext.Features.Get<IExceptionHandlerFeature>()?.Error;
        var (status, retryAfter, message) = exception switch
        {
            IntentStoreUnavailableException store => (StatusCodes.Status503ServiceUnavailable, store.RetryAfter, store.Message),
            BrokenCircuitException { RetryAfter: { } open } => (StatusCodes.Status503ServiceUnavailable, open,
                "an AWS service Mirage depends on failed repeatedly; Mirage waits before calling it again"),
            // Timeouts, open circuits and rate limits of the AWS resilience pipelines.
            AwsServiceException or HttpRequestException or ExecutionRejectedException => (StatusCodes.Status503ServiceUnavailable, AwsRetryAfter,
                "an AWS service Mirage depends on did not answer; try again shortly"),
            _ => (StatusCodes.Status500InternalServerError, (TimeSpan?)null, "Mirage failed to answer this request; its log has the details"),
        };
        httpContext.Response.StatusCode = status;
        if (retryAfter is { } pause)
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(pause.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        var title = status == StatusCodes.Status503ServiceUnavailable ? "Service Unavailable" : "Internal Server Error";
        await httpContext.Response.WriteAsJsonAsync(new ErrorMessage(title, message), ApiJsonContext.Default.ErrorMessage, cancellationToken: httpContext.RequestAborted);
    }
}
