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

    /// <summary>What the user exports as LOCAL_ENDPOINTS_TOKEN (Compose's <c>${NAME:?message}</c> requires one).</summary>
    private const string ExportedToken = "compose-example-token-0123456789";

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
        // Inside its container the endpoints own 169.254.170.2 (their ipv4_address), so they listen there only.
        var settings = StandaloneSettings.FromEnvironment(n => environment.GetValueOrDefault(n), [], "unix:///var/run/docker.sock", a => a.Equals(IPAddress.Parse(EndpointAddress)));
        Assert.Equal([new IPEndPoint(IPAddress.Parse(EndpointAddress), 80)], settings.Listen);
        Assert.NotNull(settings.AuthorizationTokenHash);
        Assert.Equal("platform", settings.TaskTags["team"]);
        Assert.Equal("compose-local", settings.Cluster);
    }

    [Fact]
    public async Task The_app_URIs_point_at_the_endpoints_and_name_routes_that_exist()
    {
        var app = Environment("app");
        var metadata = new[] { app["ECS_CONTAINER_METADATA_URI"], app["ECS_CONTAINER_METADATA_URI_V4"] }.Select(u => new Uri(u)).ToList();
        var credentials = new Uri(app["AWS_CONTAINER_CREDENTIALS_FULL_URI"]);
        var port = FreePort.Next();
        var missingEngine = "unix://" + Path.Combine(Path.GetTempPath(), $"no-engine-{Guid.NewGuid():N}.sock");
        var endpointsEnvironment = Environment("ecs-local-endpoints");
        var settings = StandaloneSettings.FromEnvironment(n => endpointsEnvironment.GetValueOrDefault(n), [$"127.0.0.1:{port}"], missingEngine);
        await using var host = StandaloneEndpointsHost.Build(settings, NullLoggerFactory.Instance, TimeProvider.System);
        await host.StartAsync(TestContext.Current.CancellationToken);
        using var http = new HttpClient();

        Assert.All(metadata.Append(credentials), u => Assert.Equal(EndpointAddress, u.Host));
        foreach (var uri in metadata.Append(credentials))
        {
            // A route that exists asks the engine (here: none, so 503); an unknown path would be the 404 fallback.
            // The app's token is the endpoints' token, so the credentials route gets that far too.
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{port}{uri.AbsolutePath}"));
            request.Headers.TryAddWithoutValidation("Authorization", app["AWS_CONTAINER_AUTHORIZATION_TOKEN"]);
            using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{uri.AbsolutePath}: {(int)response.StatusCode}");
        }
        using var withoutToken = await http.GetAsync(new Uri($"http://127.0.0.1:{port}{credentials.AbsolutePath}"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutToken.StatusCode);
    }

    [Fact]
    public void The_app_gets_the_endpoints_token_from_the_same_required_variable()
    {
        var endpoints = RawEnvironment("ecs-local-endpoints")["LOCAL_ENDPOINTS_TOKEN"];
        var app = RawEnvironment("app")["AWS_CONTAINER_AUTHORIZATION_TOKEN"];

        Assert.Equal(endpoints, app);
        Assert.StartsWith("${LOCAL_ENDPOINTS_TOKEN:?", app, StringComparison.Ordinal);
        Assert.DoesNotContain("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", RawEnvironment("app").Keys);
    }

    /// <summary>A service's environment as Compose gives it: defaults taken, required variables as the user exported them.</summary>
    private static Dictionary<string, string> Environment(string service) =>
        RawEnvironment(service).ToDictionary(
            p => p.Key,
            p => ShellRequired().Replace(ShellDefault().Replace(p.Value, m => m.Groups[1].Value), ExportedToken));

    private static Dictionary<string, string> RawEnvironment(string service) =>
        ((YamlMappingNode)((YamlMappingNode)Services[service])["environment"]).ToDictionary(p => p.Key.ToString(), p => p.Value.ToString());

    private static YamlMappingNode Load()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(RepositoryRoot.Combine("deploy", "compose", "docker-compose.yml"))));
        return (YamlMappingNode)yaml.Documents[0].RootNode;
    }

    /// <summary>Compose's <c>${NAME:-default}</c>, taken at its default.</summary>
    [GeneratedRegex(@"\$\{[A-Z_]+:-([^}]*)\}")]
    private static partial Regex ShellDefault();

    /// <summary>Compose's <c>${NAME:?message}</c>: the variable must be set.</summary>
    [GeneratedRegex(@"\$\{LOCAL_ENDPOINTS_TOKEN:\?[^}]*\}")]
    private static partial Regex ShellRequired();
}
