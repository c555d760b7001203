using System.Text;
using Microsoft.AspNetCore.Http;

namespace Mirage.TestKit.Aws;

/// <summary>Names an AWS request as a bill does, "ECS RunTask" or "S3 GetObject", from its target or credential scope.</summary>
public static class AwsCallNames
{
    private const string EcsPrefix = "AmazonEC2ContainerServiceV20141113.";

    /// <param name="status">The answer's status: a conditional S3 GET answered 304 is named apart from one that sent a body.</param>
    public static string Of(HttpRequest request, string target, byte[] body, int status)
    {
        if (target.StartsWith(EcsPrefix, StringComparison.Ordinal))
        {
            return "ECS " + target[EcsPrefix.Length..];
        }
        if (target.Length > 0 && target.LastIndexOf('.') is var dot and > 0)
        {
            var service = target[..dot] switch
            {
                "AmazonSQS" => "SQS",
                "DynamoDB_20120810" => "DynamoDB",
                "GraniteServiceVersion20100801" => "CloudWatch",
                "Logs_20140328" => "Logs",
                var other => other,
            };
            return service + " " + target[(dot + 1)..];
        }
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Contains("/s3/aws4_request", StringComparison.Ordinal))
        {
            return request.Method switch
            {
                "GET" when request.Query.ContainsKey("list-type") => "S3 ListObjectsV2",
                "GET" when status == StatusCodes.Status304NotModified => "S3 GetObject 304",
                "GET" => "S3 GetObject",
                "PUT" => "S3 PutObject",
                "DELETE" => "S3 DeleteObject",
                var method => "S3 " + method,
            };
        }
        if (authorization.Contains("/monitoring/aws4_request", StringComparison.Ordinal))
        {
            var action = System.Web.HttpUtility.ParseQueryString(Encoding.UTF8.GetString(body))["Action"];
            return "CloudWatch " + (action ?? "?");
        }
        return "other";
    }
}
