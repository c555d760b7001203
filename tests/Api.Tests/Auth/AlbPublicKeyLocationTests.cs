using Mirage.Api.Auth;
using Mirage.Model.Configuration;

namespace Mirage.Api.Tests.Auth;

public sealed class AlbPublicKeyLocationTests
{
    private const string Kid = "4f1e0e4b-7c6c-4b32-9a32-4a58b8c0f001";

    private static AlbArn Arn(string value) =>
        AlbArn.TryParse(value, out var arn, out var error) ? arn : throw new ArgumentException(error, nameof(value));

    [Theory]
    [InlineData("arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/mirage/50dc6c495c0c9188",
        "https://public-keys.auth.elb.ap-northeast-1.amazonaws.com/" + Kid)]
    [InlineData("arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:loadbalancer/app/mirage/50dc6c495c0c9188",
        "https://s3-us-gov-west-1.amazonaws.com/aws-elb-public-keys-prod-us-gov-west-1/" + Kid)]
    [InlineData("arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:loadbalancer/app/mirage/50dc6c495c0c9188",
        "https://public-keys.auth.elb.cn-north-1.amazonaws.com.cn/" + Kid)]
    public void Key_url_follows_the_region_of_the_pinned_alb(string alb, string expected)
    {
        var (url, error) = AlbPublicKeyLocation.Resolve(Arn(alb), Kid, null);

        Assert.Null(error);
        Assert.Equal(expected, url!.AbsoluteUri);
    }

    [Theory]
    [InlineData("arn:aws:elasticloadbalancing:us-gov-west-1:123456789012:loadbalancer/app/x/1", "is in partition aws-us-gov")]
    [InlineData("arn:aws-us-gov:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/1", "is in partition aws")]
    [InlineData("arn:aws:elasticloadbalancing:cn-north-1:123456789012:loadbalancer/app/x/1", "is in partition aws-cn")]
    [InlineData("arn:aws:elasticloadbalancing:evil.example.com/x:123456789012:loadbalancer/app/x/1", "is not an ALB ARN")]
    [InlineData("arn:aws:elasticloadbalancing::123456789012:loadbalancer/app/x/1", "is not an ALB ARN")]
    [InlineData("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/net/x/1", "is not an ALB ARN")]
    [InlineData("not-an-arn", "is not an ALB ARN")]
    public void An_alb_arn_whose_partition_does_not_match_its_region_or_that_is_no_alb_arn_is_refused(string alb, string error)
    {
        Assert.False(AlbArn.TryParse(alb, out _, out var problem));
        Assert.Contains(error, problem, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("a?b=c")]
    [InlineData("")]
    public void Odd_kids_give_no_url(string kid)
    {
        var (url, problem) = AlbPublicKeyLocation.Resolve(Arn(AlbArn.Example), kid, null);

        Assert.Null(url);
        Assert.Contains("kid is not a key id", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_override_replaces_the_endpoint_but_still_checks_the_kid()
    {
        var endpoint = new Uri("http://127.0.0.1:5000/keys/");

        Assert.Equal("http://127.0.0.1:5000/keys/" + Kid, AlbPublicKeyLocation.Resolve(Arn(AlbArn.Example), Kid, endpoint).Url!.AbsoluteUri);
        Assert.Null(AlbPublicKeyLocation.Resolve(Arn(AlbArn.Example), "../x", endpoint).Url);
    }
}
