using Mirage.Api.Auth;

namespace Mirage.Api.Tests.Auth;

public sealed class AlbPublicKeyLocationTests
{
    private const string Kid = "4f1e0e4b-7c6c-4b32-9a32-4a58b8c0f001";

    [Theory]
    [InlineData("arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/mirage/50dc6c495c0c9188",
        "https://public-keys.auth.elb.ap-northeast-1.amazonaws.com/" + Kid)]
    [InlineData("arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:loadbalancer/app/mirage/50dc6c495c0c9188",
        "https://s3-us-gov-west-1.amazonaws.com/aws-elb-public-keys-prod-us-gov-west-1/" + Kid)]
    public void Key_url_follows_the_partition_and_region(string signer, string expected)
    {
        var (url, error) = AlbPublicKeyLocation.Resolve(signer, Kid, null);

        Assert.Null(error);
        Assert.Equal(expected, url!.AbsoluteUri);
    }

    [Theory]
    [InlineData("arn:aws-cn:elasticloadbalancing:cn-north-1:123456789012:loadbalancer/app/x/1", Kid, "partition aws-cn")]
    [InlineData("arn:aws:elasticloadbalancing:evil.example.com/x:123456789012:loadbalancer/app/x/1", Kid, "no valid region")]
    [InlineData("arn:aws:elasticloadbalancing::123456789012:loadbalancer/app/x/1", Kid, "no valid region")]
    [InlineData("not-an-arn", Kid, "not an ARN")]
    [InlineData("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/1", "../../etc/passwd", "kid is not a key id")]
    [InlineData("arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/1", "a?b=c", "kid is not a key id")]
    public void Other_partitions_odd_regions_and_odd_kids_give_no_url(string signer, string kid, string error)
    {
        var (url, problem) = AlbPublicKeyLocation.Resolve(signer, kid, null);

        Assert.Null(url);
        Assert.Contains(error, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void An_override_replaces_the_endpoint_but_still_checks_the_kid()
    {
        var endpoint = new Uri("http://127.0.0.1:5000/keys/");

        Assert.Equal("http://127.0.0.1:5000/keys/" + Kid, AlbPublicKeyLocation.Resolve("anything", Kid, endpoint).Url!.AbsoluteUri);
        Assert.Null(AlbPublicKeyLocation.Resolve("anything", "../x", endpoint).Url);
    }
}
