namespace Mirage.Aws.Endpoints;

/// <summary>One AWS service Mirage calls: how it is signed and where its endpoint comes from.</summary>
/// <param name="Name">Short name for logs and errors.</param>
/// <param name="SigningName">The SigV4 service name in the credential scope (moto routes on it too).</param>
/// <param name="EndpointId">Service id as the SDKs spell it in <c>AWS_ENDPOINT_URL_&lt;ID&gt;</c>.</param>
/// <param name="HostPrefix">First label of the default regional host name.</param>
/// <param name="IsGlobal">One endpoint for all regions, signed for the partition's home region.</param>
public sealed record AwsService(string Name, string SigningName, string EndpointId, string HostPrefix, bool IsGlobal = false)
{
    public static AwsService Ecs { get; } = new("ECS", "ecs", "ECS", "ecs");
    public static AwsService Route53 { get; } = new("Route53", "route53", "ROUTE_53", "route53", IsGlobal: true);
    public static AwsService CloudWatch { get; } = new("CloudWatch", "monitoring", "CLOUDWATCH", "monitoring");
    public static AwsService CloudWatchLogs { get; } = new("CloudWatchLogs", "logs", "CLOUDWATCH_LOGS", "logs");
    public static AwsService S3 { get; } = new("S3", "s3", "S3", "s3");
    public static AwsService Sts { get; } = new("STS", "sts", "STS", "sts");
    public static AwsService Sqs { get; } = new("SQS", "sqs", "SQS", "sqs");
    public static AwsService DynamoDb { get; } = new("DynamoDB", "dynamodb", "DYNAMODB", "dynamodb");

    public static IReadOnlyList<AwsService> All { get; } = [Ecs, Route53, CloudWatch, CloudWatchLogs, S3, Sts, Sqs, DynamoDb];

    /// <summary>The service-specific endpoint variable, e.g. <c>AWS_ENDPOINT_URL_ROUTE_53</c>.</summary>
    public string EndpointVariable => "AWS_ENDPOINT_URL_" + EndpointId;
}
