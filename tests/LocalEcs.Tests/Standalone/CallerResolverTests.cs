using Docker.DotNet.Models;
using System.Net;
using System.Text.Json;
using Mirage.LocalEcs.Standalone;

namespace Mirage.LocalEcs.Tests.Standalone;

public sealed class CallerResolverTests
{
    private static readonly IPAddress Loopback = IPAddress.Loopback;

    // The endpoints' own container (HOSTNAME = its short id), on the Compose network only.
    private static readonly EngineContainer Endpoints = Container("aaaaaaaaaaaa0000", "shop-ecs-local-1", "shop", ("shop_default", "169.254.170.2"));
    private static readonly EngineContainer Web = Container("bbbbbbbbbbbb1111", "shop-web-1", "shop", ("shop_default", "169.254.170.5"));
    private static readonly EngineContainer Worker = Container("cccccccccccc2222", "shop-worker-1", "shop", ("shop_default", "169.254.170.6"));
    // Another project whose network reuses an address of the first.
    private static readonly EngineContainer Elsewhere = Container("dddddddddddd3333", "blog-web-1", "blog", ("blog_default", "169.254.170.5"));
    private static readonly EngineContainer Plain = Container("eeeeeeeeeeee4444", "lonely", null, ("bridge", "10.88.0.9"));

    private static readonly IReadOnlyList<EngineContainer> Running = [Endpoints, Web, Worker, Elsewhere, Plain];

    [Fact]
    public void The_caller_is_found_by_address_on_the_endpoints_own_networks()
    {
        var found = CallerResolver.Resolve(Running, null, IPAddress.Parse("169.254.170.5"), hostname: "aaaaaaaaaaaa");

        Assert.Equal(Web, found.Container);
    }

    [Fact]
    public void An_address_on_two_networks_is_ambiguous_when_the_endpoints_run_on_the_host()
    {
        var found = CallerResolver.Resolve(Running, null, IPAddress.Parse("169.254.170.5"), hostname: "my-laptop");

        Assert.Null(found.Container);
        Assert.Equal(400, found.StatusCode);
        Assert.Contains("blog-web-1, shop-web-1", found.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_IPv4_mapped_caller_matches_its_IPv4_address()
    {
        var found = CallerResolver.Resolve(Running, null, IPAddress.Parse("10.88.0.9").MapToIPv6(), hostname: null);

        Assert.Equal(Plain, found.Container);
    }

    [Theory]
    [InlineData("shop-web-1", "shop-web-1")]
    [InlineData("cccccccc", "shop-worker-1")]
    [InlineData("worker", "shop-worker-1")]
    [InlineData("lonely", "lonely")]
    public void A_named_container_is_found_by_exact_name_id_prefix_or_part_of_its_name(string identifier, string expected)
    {
        var found = CallerResolver.Resolve(Running, identifier, Loopback, hostname: null);

        Assert.Equal(expected, found.Container?.Name);
    }

    [Fact]
    public void A_name_matching_several_containers_is_narrowed_by_the_caller_address_else_refused()
    {
        var fromWeb = CallerResolver.Resolve(Running, "web", IPAddress.Parse("169.254.170.5"), hostname: "aaaaaaaaaaaa");
        var fromHost = CallerResolver.Resolve(Running, "web", Loopback, hostname: null);

        Assert.Equal(Web, fromWeb.Container);
        Assert.Equal(400, fromHost.StatusCode);
        Assert.Contains("matches 2 running containers", fromHost.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_names_unknown_addresses_and_unnamed_loopback_calls_are_not_found()
    {
        var unknownName = CallerResolver.Resolve(Running, "nope", IPAddress.Parse("169.254.170.5"), hostname: "aaaaaaaaaaaa");
        var unknownAddress = CallerResolver.Resolve(Running, null, IPAddress.Parse("192.0.2.7"), hostname: null);
        var loopback = CallerResolver.Resolve(Running, null, Loopback, hostname: null);

        // No silent fall back to the address when the name matches nothing.
        Assert.Equal((404, null), (unknownName.StatusCode, unknownName.Container));
        Assert.Equal(404, unknownAddress.StatusCode);
        Assert.Contains("192.0.2.7", unknownAddress.Message, StringComparison.Ordinal);
        Assert.Contains("/v4/containers/NAME", loopback.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_endpoints_container_is_never_a_caller_nor_part_of_a_task()
    {
        var self = CallerResolver.Resolve(Running, null, IPAddress.Parse("169.254.170.2"), hostname: "aaaaaaaaaaaa");
        var task = CallerResolver.TaskOf(Web, Running, hostname: "aaaaaaaaaaaa");

        Assert.Equal(404, self.StatusCode);
        Assert.Equal([Web, Worker], task);
        Assert.Equal([Plain], CallerResolver.TaskOf(Plain, Running, hostname: null));
    }

    [Fact]
    public void Credentials_go_only_to_this_host_and_to_running_containers()
    {
        Assert.True(CallerResolver.IsKnownCaller(Running, Loopback));
        Assert.True(CallerResolver.IsKnownCaller(Running, IPAddress.IPv6Loopback));
        Assert.True(CallerResolver.IsKnownCaller(Running, IPAddress.Parse("169.254.170.6")));
        Assert.False(CallerResolver.IsKnownCaller(Running, IPAddress.Parse("192.168.1.20")));
    }

    [Fact]
    public void The_engine_list_entry_is_read_with_its_networks_ports_and_labels()
    {
        var listed = new ContainerListResponse
        {
            ID = "abc123def4567890",
            Names = ["/shop-web-1"],
            Image = "nginx",
            ImageID = "sha256:1",
            Created = DateTime.UnixEpoch.AddSeconds(1700000000),
            Labels = new Dictionary<string, string> { ["com.docker.compose.project"] = "shop", ["com.docker.compose.service"] = "web" },
            Ports = [new PortSummary { IP = "127.0.0.1", PrivatePort = 80, PublicPort = 8080, Type = "tcp" }],
            NetworkSettings = new NetworkSettingsSummary
            {
                Networks = new Dictionary<string, EndpointSettings> { ["shop_default"] = new() { IPAddress = "169.254.170.5", GlobalIPv6Address = "" } },
            },
        };

        var container = EngineContainer.FromList(listed);

        Assert.Equal(("shop-web-1", "shop"), (container.Name, container.ComposeProject));
        Assert.Equal([new EnginePort(80, "tcp", 8080, "127.0.0.1")], container.Ports);
        Assert.Equal(new EngineNetworkAddress("169.254.170.5", null), container.Networks["shop_default"]);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), container.CreatedAt);
    }

    private static EngineContainer Container(string id, string name, string? project, (string Network, string Address) network)
    {
        var labels = new Dictionary<string, string>();
        if (project is not null)
        {
            labels[EngineContainer.ComposeProjectLabel] = project;
        }
        return new EngineContainer
        {
            Id = id,
            Name = name,
            Names = [name],
            Labels = labels,
            Networks = new Dictionary<string, EngineNetworkAddress> { [network.Network] = new(network.Address, null) },
        };
    }
}
