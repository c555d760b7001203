using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mirage.Model.Backend;
using Mirage.Model.Configuration;
using Mirage.Model.Launch;

namespace Mirage.Model.Tests.Launch;

public sealed class LaunchEnvironmentTests
{
    // mirage-ecs ecs_test.go TestToECSKeyValuePairsAndTags: three parameters configured, two given.
    private static readonly IReadOnlyList<ParameterConfig> Configured =
    [
        new ParameterConfig { Name = "Param1", Env = "ENV1" },
        new ParameterConfig { Name = "Param2", Env = "ENV2" },
        new ParameterConfig { Name = "Param3", Env = "ENV3" },
    ];

    private static readonly Dictionary<string, string> Given = new() { ["Param2"] = "Value2", ["Param1"] = "Value1", ["Other"] = "x" };

    [Fact]
    public void EnvironmentInV2()
    {
        Assert.Equal(
            [
                new EnvironmentVariable("SUBDOMAIN", "testsubdomain"),
                new EnvironmentVariable("SUBDOMAINRAW", "testsubdomain"),
                new EnvironmentVariable("ENV1", "Value1"),
                new EnvironmentVariable("ENV2", "Value2"),
            ],
            LaunchEnvironment.BuildEnvironment("testsubdomain", Given, Configured));
    }

    [Fact]
    public void EnvironmentInCompatV1()
    {
        Assert.Equal(
            [
                new EnvironmentVariable("SUBDOMAIN", "dGVzdHN1YmRvbWFpbg=="),
                new EnvironmentVariable("SUBDOMAINRAW", "testsubdomain"),
                new EnvironmentVariable("ENV1", "Value1"),
                new EnvironmentVariable("ENV2", "Value2"),
            ],
            LaunchEnvironment.BuildEnvironment("testsubdomain", Given, Configured, compatV1: true));
    }

    [Fact]
    public void Tags()
    {
        Assert.Equal(
            [
                new EcsTag("Subdomain", "dGVzdHN1YmRvbWFpbg=="),
                new EcsTag("ManagedBy", "Mirage"),
                new EcsTag("Param1", "Value1"),
                new EcsTag("Param2", "Value2"),
            ],
            LaunchEnvironment.BuildTags("testsubdomain", Given, Configured));
    }

    [Fact]
    public void TagsEndWithTheRevisionWhenGiven()
    {
        var tags = LaunchEnvironment.BuildTags("testsubdomain", Given, Configured, revision: 7);
        Assert.Equal(new EcsTag("MirageRevision", "7"), tags[^1]);
        Assert.Equal(5, tags.Count);
        Assert.Equal(7, LaunchEnvironment.FindRevision(tags));
    }

    [Fact]
    public void SkipsEmptyValues()
    {
        var values = new Dictionary<string, string> { ["Param1"] = "", ["Param3"] = "v3" };
        Assert.Equal(
            ["SUBDOMAIN", "SUBDOMAINRAW", "ENV3"],
            LaunchEnvironment.BuildEnvironment("ab", values, Configured).Select(e => e.Name));
        Assert.Equal(
            ["Subdomain", "ManagedBy", "Param3"],
            LaunchEnvironment.BuildTags("ab", values, Configured).Select(t => t.Key));
    }

    [Fact]
    public void EncodesWildcardSubdomainsForTagValues()
    {
        // '*' is not allowed in a tag value; base64url with padding is (the /api/list example: bench → YmVuY2g=).
        Assert.Equal("YmVuY2g=", SubdomainTag.Encode("bench"));
        Assert.Equal("Zm9vLSo=", SubdomainTag.Encode("foo-*"));
        Assert.Equal("Pz8_", SubdomainTag.Encode("???"));
    }

    [Theory]
    [InlineData("YmVuY2g=", "bench")]
    [InlineData("Zm9vLSo=", "foo-*")]
    [InlineData("bench", "bench")] // not base64 (length): taken raw, as mirage-ecs does
    [InlineData("foo-*", "foo-*")]
    [InlineData("YmVuY2g", "YmVuY2g")] // padding is required
    [InlineData("Pz8/", "Pz8/")] // standard alphabet is not URL-safe base64
    [InlineData("", "")]
    public void DecodesTheSubdomainTagOrFallsBackToTheRawValue(string tag, string subdomain)
    {
        Assert.Equal(subdomain, SubdomainTag.Decode(tag));
    }

    [Fact]
    public void FindsTheSubdomainOfATask()
    {
        Assert.Equal("bench", LaunchEnvironment.FindSubdomain([new EcsTag("ManagedBy", "Mirage"), new EcsTag("Subdomain", "YmVuY2g=")]));
        Assert.Null(LaunchEnvironment.FindSubdomain([new EcsTag("ManagedBy", "Mirage")]));
    }

    [Fact]
    public void OwnershipIsTheManagedByTag()
    {
        Assert.True(LaunchEnvironment.IsManagedByMirage(LaunchEnvironment.BuildTags("ab", Given, Configured)));
        Assert.False(LaunchEnvironment.IsManagedByMirage([new EcsTag("ManagedBy", "mirage-ecs")]));
        Assert.False(LaunchEnvironment.IsManagedByMirage([new EcsTag("Subdomain", "YWI=")]));
        Assert.False(LaunchEnvironment.IsManagedByMirage([]));
    }

    [Theory]
    [InlineData("12", 12L)]
    [InlineData("-1", null)]
    [InlineData("x", null)]
    public void ReadsTheRevisionTag(string value, long? revision)
    {
        Assert.Equal(revision, LaunchEnvironment.FindRevision([new EcsTag("MirageRevision", value)]));
    }

    private static readonly Gen<string> Subdomains =
        Gen.OneOf(
            ArbMap.Default.GeneratorFor<string>().Where(s => s is not null && WellFormedText.IsWellFormed(s)),
            Gen.Choose(2, 63).SelectMany(n => Gen.ArrayOf(Gen.Elements("abcdefghijklmnopqrstuvwxyz0123456789-*?[]".ToCharArray()), n))
                .Select(chars => new string(chars)));

    [Property(MaxTest = 1000)]
    public Property SubdomainTagRoundTrips()
    {
        return Prop.ForAll(Arb.From(Subdomains), subdomain =>
        {
            var tag = SubdomainTag.Encode(subdomain);
            Assert.Matches("^[A-Za-z0-9_-]*={0,2}$", tag);
            Assert.Equal(0, tag.Length % 4);
            Assert.True(SubdomainTag.TryDecode(tag, out var decoded));
            Assert.Equal(subdomain, decoded);
            Assert.Equal(subdomain, LaunchEnvironment.FindSubdomain(LaunchEnvironment.BuildTags(subdomain, Given, Configured)));
        });
    }
}
