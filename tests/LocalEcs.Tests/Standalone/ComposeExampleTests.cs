using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Mirage.LocalEcs.Standalone;
using Mirage.TestKit;
using YamlDotNet.RepresentationModel;

namespace Mirage.LocalEcs.Tests.Standalone;

/// <summary>deploy/compose/docker-compose.yml is consistent with what <c>mirage local-endpoints</c> reads and serves.</summary>
public sealed partial class ComposeExampleTests
{
    private const string EndpointAddress = "169.254.170.2";

    private static readonly YamlMappingNode Compose = Load();

    private static YamlMappingNode Services => (YamlMappingNode)Compose["services"];

    [Fact]
    public void The_endpoints_service_runs_local_endpoints_at_169_254_170_2_inside_the_network()
    {
        var endpoints = (YamlMappingNode)Services["ecs-local-endpoints"];
        var network = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)((YamlMappingNode)Compose["networks"])["credentials_network"])["ipam"])["config"])[0];
        var subnet = network["subnet"].ToString();
        var gateway = network["gateway"].ToString();

        Assert.Equal(["local-endpoints"], ((YamlSequenceNode)endpoints["command"]).Select(n => n.ToString()));
        Assert.Equal(EndpointAddress, ((YamlMappingNode)((YamlMappingNode)endpoints["networks"])["credentials_network"])["ipv4_address"].ToString());
        Assert.True(IPNetwork.Parse(subnet).Contains(IPAddress.Parse(EndpointAddress)), $"{EndpointAddress} is outside {subnet}");
        Assert.NotEqual(EndpointAddress, gateway);
        Assert.Contains(((YamlSequenceNode)endpoints["volumes"]).Select(v => v.ToString()), v => v.Contains("docker.sock", StringComparison.Ordinal));
    }

    [Fact]
    public void The_endpoints_environment_is_read_as_it_is_written()
    {
        var environment = Environment("ecs-local-endpoints");
        var sdkAndShell = new[] { "AWS_PROFILE", "HOME" };

        Assert.All(environment.Keys, name => Assert.Contains(name, StandaloneSettings.Variables.Concat(sdkAndShell)));
        var settings = StandaloneSettings.FromEnvironment(n => environment.GetValueOrDefault(n), [], "unix:///var/run/docker.sock");
        Assert.Equal([new IPEndPoint(IPAddress.Any, 80)], settings.Listen);
        Assert.Equal("platform", settings.TaskTags["team"]);
        Assert.Equal("compose-local", settings.Cluster);
    }

    [Fact]
    public async Task The_app_URIs_point_at_the_endpoints_and_name_routes_that_exist()
    {
        var app = Environment("app");
        var uris = new[] { app["ECS_CONTAINER_METADATA_URI"], app["ECS_CONTAINER_METADATA_URI_V4"], $"http://{EndpointAddress}{app["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"]}" }
            .Select(u => new Uri(u)).ToList();
        var port = FreePort.Next();
        var missingEngine = "unix://" + Path.Combine(Path.GetTempPath(), $"no-engine-{Guid.NewGuid():N}.sock");
        var settings = StandaloneSettings.FromEnvironment(_ => null, [$"127.0.0.1:{port}"], missingEngine);
        await using var host = StandaloneEndpointsHost.Build(settings, NullLoggerFactory.Instance, TimeProvider.System);
        await host.StartAsync(TestContext.Current.CancellationToken);
        using var http = new HttpClient();

        Assert.All(uris, u => Assert.Equal(EndpointAddress, u.Host));
        foreach (var uri in uris)
        {
            // A route that exists asks the engine (here: none, so 503); an unknown path would be the 404 fallback.
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}{uri.AbsolutePath}"), TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{uri.AbsolutePath}: {(int)response.StatusCode}");
        }
    }

    private static Dictionary<string, string> Environment(string service) =>
        ((YamlMappingNode)((YamlMappingNode)Services[service])["environment"]).ToDictionary(
            p => p.Key.ToString(),
            p => ShellDefault().Replace(p.Value.ToString(), m => m.Groups[1].Value));

    private static YamlMappingNode Load()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(RepositoryRoot.Combine("deploy", "compose", "docker-compose.yml"))));
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    /// <summary>Compose's <c>${NAME:-default}</c>, taken at its default.</summary>
    [GeneratedRegex(@"\$\{[A-Z_]+:-([^}]*)\}")]
    private static partial Regex ShellDefault();
}
