using Mirage.Aws.Configuration;
using Mirage.Aws.Endpoints;

namespace Mirage.Aws.Tests.Configuration;

public sealed class EndpointResolverTests
{
    private static AwsEndpointResolver Resolver(string region, params (string Name, string Value)[] variables) =>
        new(new AwsEnvironment(variables.ToDictionary(v => v.Name, v => v.Value)), new AwsRegion(region));

    [Fact]
    public void Defaults_are_regional_and_Route53_is_global_signed_for_us_east_1()
    {
        var resolver = Resolver("eu-west-1");

        Assert.Equal(new Uri("https://ecs.eu-west-1.amazonaws.com"), resolver.Resolve(AwsService.Ecs).Url);
        Assert.Equal(new Uri("https://monitoring.eu-west-1.amazonaws.com"), resolver.Resolve(AwsService.CloudWatch).Url);
        Assert.Equal(new Uri("https://logs.eu-west-1.amazonaws.com"), resolver.Resolve(AwsService.CloudWatchLogs).Url);
        var route53 = resolver.Resolve(AwsService.Route53);
        Assert.Equal(new Uri("https://route53.amazonaws.com"), route53.Url);
        Assert.Equal("us-east-1", route53.SigningRegion);
        Assert.Equal("eu-west-1", resolver.Resolve(AwsService.Ecs).SigningRegion);
        Assert.False(route53.IsOverride);
    }

    [Fact]
    public void China_regions_use_their_own_partition()
    {
        var resolver = Resolver("cn-north-1");

        Assert.Equal(new Uri("https://ecs.cn-north-1.amazonaws.com.cn"), resolver.Resolve(AwsService.Ecs).Url);
        Assert.Equal("cn-northwest-1", resolver.Resolve(AwsService.Route53).SigningRegion);
    }

    [Fact]
    public void A_service_specific_variable_wins_over_the_global_one()
    {
        var resolver = Resolver("us-east-1",
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"),
            ("AWS_ENDPOINT_URL_ROUTE_53", "http://127.0.0.1:5001"),
            ("AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "http://127.0.0.1:5002"));

        Assert.Equal(new Uri("http://127.0.0.1:5001"), resolver.Resolve(AwsService.Route53).Url);
        Assert.Equal(new Uri("http://127.0.0.1:5002"), resolver.Resolve(AwsService.CloudWatchLogs).Url);
        Assert.Equal(new Uri("http://127.0.0.1:5000"), resolver.Resolve(AwsService.Ecs).Url);
        Assert.True(resolver.Resolve(AwsService.Ecs).IsOverride);
    }

    [Fact]
    public void Overrides_can_be_switched_off_as_in_the_SDKs()
    {
        var resolver = Resolver("us-east-1", ("AWS_ENDPOINT_URL", "http://127.0.0.1:5000"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"));

        Assert.Equal(new Uri("https://ecs.us-east-1.amazonaws.com"), resolver.Resolve(AwsService.Ecs).Url);
    }

    [Fact]
    public void The_service_variables_use_the_SDK_names()
    {
        Assert.Equal(
            ["AWS_ENDPOINT_URL_ECS", "AWS_ENDPOINT_URL_ROUTE_53", "AWS_ENDPOINT_URL_CLOUDWATCH", "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL_DYNAMODB"],
            AwsService.All.Select(s => s.EndpointVariable));
    }

    [Fact]
    public void The_region_comes_from_options_then_the_environment_and_is_required()
    {
        Assert.Equal("ap-northeast-1", AwsRegion.Resolve(new AwsOptions { Region = "ap-northeast-1", Environment = new Dictionary<string, string> { ["AWS_REGION"] = "us-west-2" } }).Name);
        Assert.Equal("us-west-2", AwsRegion.Resolve(new AwsOptions { Environment = new Dictionary<string, string> { ["AWS_DEFAULT_REGION"] = "us-west-2" } }).Name);
        var error = Assert.Throws<InvalidOperationException>(() => AwsRegion.Resolve(new AwsOptions { Environment = new Dictionary<string, string>() }));
        Assert.Contains("AWS_REGION", error.Message, StringComparison.Ordinal);
    }
}
