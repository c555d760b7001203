using System.Net;
using Amazon.S3;
using Mirage.Aws.Errors;
using Mirage.Aws.Telemetry;

namespace Mirage.Aws.Tests.Telemetry;

/// <summary>How an attempt's exception becomes the <c>outcome</c> label, for our clients' errors and the AWSSDK's.</summary>
public sealed class AwsCallOutcomeTests
{
    [Theory]
    [InlineData("ThrottlingException", HttpStatusCode.BadRequest, AwsCallOutcome.Throttled)]
    [InlineData("SlowDown", HttpStatusCode.ServiceUnavailable, AwsCallOutcome.Throttled)]
    [InlineData("Anything", HttpStatusCode.TooManyRequests, AwsCallOutcome.Throttled)]
    [InlineData("InternalFailure", HttpStatusCode.InternalServerError, AwsCallOutcome.ServerError)]
    [InlineData("ClientException", HttpStatusCode.BadRequest, AwsCallOutcome.ClientError)]
    [InlineData("PreconditionFailed", HttpStatusCode.PreconditionFailed, AwsCallOutcome.ClientError)]
    [InlineData("NotModified", HttpStatusCode.NotModified, AwsCallOutcome.Success)]
    public void A_service_error_is_classed_by_its_code_and_status_for_our_clients_and_the_SDK_s(string code, HttpStatusCode status, string outcome)
    {
        Assert.Equal(outcome, AwsCallOutcome.Of(new AwsServiceException("ECS", code, "m", status, null), CancellationToken.None));
        Assert.Equal(outcome, AwsCallOutcome.Of(new AmazonS3Exception("m") { ErrorCode = code, StatusCode = status }, CancellationToken.None));
    }

    [Fact]
    public void No_answer_is_a_network_error_a_timeout_or_the_caller_s_cancellation()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.Equal(AwsCallOutcome.NetworkError, AwsCallOutcome.Of(new HttpRequestException("refused"), CancellationToken.None));
        Assert.Equal(AwsCallOutcome.Timeout, AwsCallOutcome.Of(new TaskCanceledException(), CancellationToken.None));
        Assert.Equal(AwsCallOutcome.Timeout, AwsCallOutcome.Of(new TimeoutException(), CancellationToken.None));
        Assert.Equal(AwsCallOutcome.Cancelled, AwsCallOutcome.Of(new TaskCanceledException(), cancelled.Token));
    }
}
