using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Mirage.Edge.Dispatch;
using Mirage.Model.Configuration;

namespace Mirage.Edge.Tests.Dispatch;

public sealed class RequestHostTests
{
    private static readonly HostConfig Names = new() { WebApi = "mirage.dev.example.net", ReverseProxySuffix = ".dev.example.net" };

    [Theory]
    [InlineData("mirage.dev.example.net", HostKind.WebApi, "")]
    [InlineData("MIRAGE.dev.example.net:8080", HostKind.WebApi, "")]
    [InlineData("mirage.dev.example.net.", HostKind.WebApi, "")]
    [InlineData("foo.dev.example.net", HostKind.Environment, "foo")]
    [InlineData("Foo-Bar.DEV.example.net:80", HostKind.Environment, "foo-bar")]
    [InlineData("a.b.dev.example.net", HostKind.Environment, "a")]
    [InlineData("foo.dev.example.net.", HostKind.Environment, "foo")]
    [InlineData(".dev.example.net", HostKind.NotFound, "")]
    [InlineData("dev.example.net", HostKind.Health, "")]
    [InlineData("", HostKind.Health, "")]
    [InlineData("   ", HostKind.Health, "")]
    [InlineData("10.0.1.23", HostKind.Health, "")]
    [InlineData("10.0.1.23:80", HostKind.Health, "")]
    [InlineData("[::1]:80", HostKind.Health, "")]
    [InlineData("::1", HostKind.Health, "")]
    [InlineData("example.com", HostKind.Health, "")]
    [InlineData(":", HostKind.Health, "")]
    [InlineData("[", HostKind.Health, "")]
    public void Classifies_as_mirage_ecs_does(string host, HostKind kind, string subdomain)
    {
        var result = RequestHost.Classify(host, Names);

        Assert.Equal(kind, result.Kind);
        Assert.Equal(subdomain, result.Subdomain);
    }

    [Fact]
    public void The_not_found_host_is_lower_cased_without_port()
    {
        Assert.Equal("foo.dev.example.net", RequestHost.Classify("FOO.dev.example.net:8080", Names).Host);
    }

    [Fact]
    public void A_host_sent_lower_case_without_a_port_is_kept_as_it_came_and_any_other_is_normalised()
    {
        var sent = "foo.dev.example.net";

        Assert.Same(sent, RequestHost.Classify(sent, Names).Host);
        Assert.Equal(sent, RequestHost.Classify("Foo.dev.example.net", Names).Host);
        Assert.Equal(sent, RequestHost.Classify("foo.dev.example.net:80", Names).Host);
        Assert.Equal(sent, RequestHost.Classify("foo.dev.example.net.", Names).Host);
    }

    [Fact]
    public void Overlong_labels_and_hosts_are_not_looked_up()
    {
        Assert.Equal(HostKind.NotFound, RequestHost.Classify(new string('a', 64) + ".dev.example.net", Names).Kind);
        Assert.Equal(HostKind.Environment, RequestHost.Classify(new string('a', 63) + ".dev.example.net", Names).Kind);
        Assert.Equal(HostKind.Invalid, RequestHost.Classify(new string('a', 300) + ".dev.example.net", Names).Kind);
    }

    [Property(MaxTest = 2000)]
    public bool Any_string_classifies_without_throwing_and_subdomains_are_lower_case_labels(string raw)
    {
        var host = RequestHost.Classify(raw, Names);
        return host.Kind != HostKind.Environment
            || (host.Subdomain.Length is > 0 and <= 63 && !host.Subdomain.Contains('.') && host.Subdomain == host.Subdomain.ToLowerInvariant());
    }

    [Property(MaxTest = 200)]
    public Property A_label_under_the_domain_is_its_lower_case_subdomain_with_or_without_a_port()
    {
        var labels = Gen.Elements("foo", "FOO", "a-b", "x1", "*", "").ToArbitrary();
        return Prop.ForAll(labels, ArbMap.Default.ArbFor<bool>(), (label, port) =>
        {
            var host = RequestHost.Classify(label + ".dev.example.net" + (port ? ":8443" : ""), Names);
            return label.Length == 0 ? host.Kind == HostKind.NotFound : host.Kind == HostKind.Environment && host.Subdomain == label.ToLowerInvariant();
        });
    }
}
