using System.Net;
using System.Text;
using Mirage.Aws.Errors;

namespace Mirage.Aws.Tests.Configuration;

public sealed class AwsErrorParserTests
{
    private static readonly Dictionary<string, string> NoHeaders = new(StringComparer.OrdinalIgnoreCase);

    [Theory]
    [InlineData("""{"__type":"com.amazonaws.ecs#ThrottlingException","message":"Rate exceeded"}""", "ThrottlingException", true)]
    [InlineData("""{"__type":"ClientException","message":"Unable to describe task definition."}""", "ClientException", false)]
    [InlineData("""{"__type":"ProvisionedThroughputExceededException","Message":"slow down"}""", "ProvisionedThroughputExceededException", true)]
    [InlineData("<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error><RequestId>r1</RequestId></ErrorResponse>", "Throttling", true)]
    [InlineData("<ErrorResponse><Error><Code>RequestLimitExceeded</Code><Message>x</Message></Error></ErrorResponse>", "RequestLimitExceeded", true)]
    [InlineData("<ErrorResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><Error><Code>TooManyRequestsException</Code></Error></ErrorResponse>", "TooManyRequestsException", true)]
    public void Error_bodies_map_to_codes_and_throttling(string body, string code, bool throttling)
    {
        var error = AwsErrorParser.Parse("X", HttpStatusCode.BadRequest, NoHeaders, Encoding.UTF8.GetBytes(body));

        Assert.Equal(code, error.Code);
        Assert.Equal(throttling, error.IsThrottling);
        Assert.Equal(throttling, error.IsRetryable);
    }

    [Fact]
    public void An_html_500_is_a_retryable_internal_failure()
    {
        var error = AwsErrorParser.Parse("ECS", HttpStatusCode.InternalServerError, NoHeaders, "<!DOCTYPE html><title>500 Internal Server Error</title>"u8);

        Assert.Equal("InternalFailure", error.Code);
        Assert.True(error.IsRetryable);
        Assert.False(error.IsThrottling);
    }

    [Fact]
    public void The_error_type_header_and_request_id_are_used()
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["x-amzn-ErrorType"] = "ThrottlingException:http://internal.amazon.com/coral/",
            ["x-amzn-RequestId"] = "req-1",
        };

        var error = AwsErrorParser.Parse("Logs", HttpStatusCode.BadRequest, headers, "{}"u8);

        Assert.Equal("ThrottlingException", error.Code);
        Assert.Equal("req-1", error.RequestId);
    }

    [Fact]
    public void Route53_invalid_change_batches_collect_their_messages()
    {
        var error = AwsErrorParser.Parse("Route53", HttpStatusCode.BadRequest, NoHeaders,
            "<InvalidChangeBatch><Messages><Message>first</Message><Message>second</Message></Messages></InvalidChangeBatch>"u8);

        Assert.Equal("InvalidChangeBatch", error.Code);
        Assert.Equal("first; second", error.ErrorMessage);
        Assert.False(error.IsRetryable);
    }
}
